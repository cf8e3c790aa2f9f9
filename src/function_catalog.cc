#include "function_catalog.h"

#include <algorithm>
#include <iterator>

namespace pgsieve::internal {
namespace {

#include "function_tables.inc"

template <typename Range>
bool SortedContains(const Range& range, std::string_view name) {
  return std::binary_search(std::begin(range), std::end(range), name);
}

bool InScopes(int scope, ScopeSet scopes) { return (scopes >> scope) & 1; }

// Every entry with this name (one per scope), in a sorted table.
template <typename Entry, size_t N>
std::pair<const Entry*, const Entry*> EntriesNamed(const Entry (&table)[N], std::string_view name) {
  auto lo = std::lower_bound(std::begin(table), std::end(table), name,
                             [](const Entry& e, std::string_view n) { return e.name < n; });
  auto hi = lo;
  while (hi != std::end(table) && hi->name == name) ++hi;
  return {lo, hi};
}

template <typename Entry, size_t N>
CatalogVerdict Lookup(const Entry (&table)[N], std::string_view name, ScopeSet scopes) {
  CatalogVerdict v;
  auto [lo, hi] = EntriesNamed(table, name);
  for (const Entry* e = lo; e != hi; ++e) {
    v.known = true;
    if (!InScopes(e->scope, scopes)) {
      if (e->allowed && e->scope != 0 && v.disabled_pack.empty()) v.disabled_pack = kScopes[e->scope];
      continue;
    }
    if (e->allowed) {
      v.allowed = true;
      return v;
    }
    if constexpr (requires { e->category; }) {
      v.category = e->category;
    } else {
      v.category = "operator";
    }
    v.reason = e->reason;
  }
  return v;
}

}  // namespace

std::optional<int> PackScope(std::string_view pack) {
  for (int i = 1; i < static_cast<int>(std::size(kScopes)); ++i) {
    if (kScopes[i] == pack) return i;
  }
  return std::nullopt;
}

CatalogVerdict LookupFunction(std::string_view name, ScopeSet scopes) { return Lookup(kFunctions, name, scopes); }

CatalogVerdict LookupOperator(std::string_view name, ScopeSet scopes) { return Lookup(kOperators, name, scopes); }

bool IsPackType(std::string_view name, ScopeSet scopes) {
  auto [lo, hi] = EntriesNamed(kPackTypes, name);
  for (const PackType* t = lo; t != hi; ++t) {
    if (InScopes(t->scope, scopes)) return true;
  }
  return false;
}

std::vector<CatalogRow> AllFunctionRows() {
  std::vector<CatalogRow> out;
  out.reserve(std::size(kFunctions));
  for (const FunctionEntry& e : kFunctions) out.push_back(CatalogRow{e.name, e.scope, e.allowed, e.category});
  return out;
}

std::vector<CatalogRow> AllOperatorRows() {
  std::vector<CatalogRow> out;
  out.reserve(std::size(kOperators));
  for (const OperatorEntry& e : kOperators) out.push_back(CatalogRow{e.name, e.scope, e.allowed, {}});
  return out;
}

bool AllowedWhereverDefined(std::string_view name) {
  auto [lo, hi] = EntriesNamed(kFunctions, name);
  if (lo == hi) return false;
  for (const FunctionEntry* e = lo; e != hi; ++e) {
    if (!e->allowed) return false;
  }
  return true;
}

bool IsOneArgumentFunction(std::string_view name) { return SortedContains(kOneArgumentFunctions, name); }

bool IsRowArgumentFunction(std::string_view name) { return SortedContains(kRowArgumentFunctions, name); }

}  // namespace pgsieve::internal
