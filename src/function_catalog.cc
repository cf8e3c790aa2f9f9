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

}  // namespace

bool IsReviewedAllowedFunction(std::string_view name) { return SortedContains(kAllowedFunctions, name); }

bool IsOneArgumentCatalogFunction(std::string_view name) {
  return SortedContains(kOneArgumentCatalogFunctions, name);
}

bool IsRowArgumentCatalogFunction(std::string_view name) {
  return SortedContains(kRowArgumentCatalogFunctions, name);
}

std::optional<DeniedFunctionInfo> FindDeniedFunction(std::string_view name) {
  auto it = std::lower_bound(std::begin(kDeniedFunctions), std::end(kDeniedFunctions), name,
                             [](const DeniedFunction& f, std::string_view n) { return f.name < n; });
  if (it == std::end(kDeniedFunctions) || it->name != name) return std::nullopt;
  return DeniedFunctionInfo{it->category, it->reason};
}

}  // namespace pgsieve::internal
