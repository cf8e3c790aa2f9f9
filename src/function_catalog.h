// The classified catalog of grammar/ (functions, operators, extension-pack
// types), compiled into sorted constant tables at build time.
//
// Scope 0 is pg_catalog ("core"); every other scope is an extension pack a
// policy switches on by name. Lookups are binary searches: no allocation, no
// state, safe from any thread.
#ifndef PGSIEVE_SRC_FUNCTION_CATALOG_H_
#define PGSIEVE_SRC_FUNCTION_CATALOG_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace pgsieve::internal {

// A set of scopes: bit i is scope i (bit 0 is pg_catalog).
using ScopeSet = uint64_t;
inline constexpr ScopeSet kCoreScope = 1;

// The scope of an extension pack ("pg_trgm", "postgis", ...); nullopt if unknown.
std::optional<int> PackScope(std::string_view pack);

struct CatalogVerdict {
  bool known = false;    // the name exists in some scope (or on functions.deny)
  bool allowed = false;  // allowed in one of the scopes looked in
  // When known and not allowed: why ("server-files", "unreviewed", ...) and a
  // clause completing "<name> <reason>".
  std::string_view category;
  std::string_view reason;
  // When the name is allowed only in a pack the policy does not enable.
  std::string_view disabled_pack;
};

CatalogVerdict LookupFunction(std::string_view name, ScopeSet scopes);
CatalogVerdict LookupOperator(std::string_view name, ScopeSet scopes);

// A type of an extension pack in `scopes`.
bool IsPackType(std::string_view name, ScopeSet scopes);

// Every row of the function and operator tables (one per name and scope), in
// name order: for building a policy's lookup tables once.
struct CatalogRow {
  std::string_view name;
  int scope;
  bool allowed;
  std::string_view category;  // empty for operators
};
std::vector<CatalogRow> AllFunctionRows();
std::vector<CatalogRow> AllOperatorRows();

// Is the name in the catalog, and allowed in every scope that defines it (a
// reviewed function, of core or of an extension pack, enabled or not)?
bool AllowedWhereverDefined(std::string_view name);

// Some overload takes exactly one argument: (expr).name can call it.
bool IsOneArgumentFunction(std::string_view name);

// ... and that argument can be a table row: t.name can call it.
bool IsRowArgumentFunction(std::string_view name);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_FUNCTION_CATALOG_H_
