// The function lists of grammar/, compiled into sorted tables at build time.
//
// Lookups are binary searches over constant arrays: no allocation, no state.
#ifndef PGSIEVE_SRC_FUNCTION_CATALOG_H_
#define PGSIEVE_SRC_FUNCTION_CATALOG_H_

#include <optional>
#include <string_view>

namespace pgsieve::internal {

struct DeniedFunctionInfo {
  std::string_view category;  // e.g. "server-files"
  std::string_view reason;    // completes "<name> <reason>; not allowed"
};

// On grammar/functions.allow (pg_catalog functions reviewed as side-effect free).
bool IsReviewedAllowedFunction(std::string_view name);

// On grammar/functions.deny; nullopt otherwise.
std::optional<DeniedFunctionInfo> FindDeniedFunction(std::string_view name);

// A pg_catalog function some overload of which takes exactly one argument, so
// attribute notation (expr).name can call it on a value of a matching type.
bool IsOneArgumentCatalogFunction(std::string_view name);

// ... and that one argument can be a table row, so t.name (t a table or
// alias, PostgreSQL tries name(t) when t has no such column) can call it.
bool IsRowArgumentCatalogFunction(std::string_view name);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_FUNCTION_CATALOG_H_
