#include "audit/uncap.h"

#include <initializer_list>

namespace pgsieve::audit {

std::vector<std::string> UncappedCandidates(std::string_view sql, int64_t max_rows) {
  std::vector<std::string> out;
  const std::string limit = "LIMIT " + std::to_string(max_rows);
  // The wrapped form first: it also ends in " LIMIT n", but its own wrapper
  // is not what the executor sent.
  const std::string_view prefix = "SELECT * FROM (\n";
  const std::string wrap_suffix = "\n) AS pgsieve_capped " + limit;
  if (sql.size() > prefix.size() + wrap_suffix.size() && sql.substr(0, prefix.size()) == prefix &&
      sql.substr(sql.size() - wrap_suffix.size()) == wrap_suffix) {
    out.emplace_back(sql.substr(prefix.size(), sql.size() - prefix.size() - wrap_suffix.size()));
  }
  for (const std::string& suffix : {" " + limit, "\n" + limit}) {
    if (sql.size() > suffix.size() && sql.substr(sql.size() - suffix.size()) == suffix) {
      out.emplace_back(sql.substr(0, sql.size() - suffix.size()));
    }
  }
  return out;
}

}  // namespace pgsieve::audit
