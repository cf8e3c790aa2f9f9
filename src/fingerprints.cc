#include "pgsieve/fingerprints.h"

#include <pg_query.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace pgsieve {

std::string Fingerprint(std::string_view sql) {
  const std::string owned(sql);
  PgQueryFingerprintResult r = pg_query_fingerprint(owned.c_str());
  std::string out;
  if (r.error == nullptr && r.fingerprint_str != nullptr) out = r.fingerprint_str;
  pg_query_free_fingerprint_result(r);
  return out;
}

std::string Normalize(std::string_view sql) {
  const std::string owned(sql);
  PgQueryNormalizeResult r = pg_query_normalize(owned.c_str());
  std::string out = r.error == nullptr && r.normalized_query != nullptr ? r.normalized_query : owned;
  pg_query_free_normalize_result(r);
  return out;
}

StatusOr<FingerprintSet> FingerprintSet::Parse(std::string_view text, std::string_view source) {
  FingerprintSet set;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    const std::string fp = line.substr(0, line.find('\t'));
    const bool hex = fp.size() == 16 && std::all_of(fp.begin(), fp.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) {
      return Status(StatusCode::kParseError, std::string(source) + ":" + std::to_string(lineno) +
                                                 ": expected 16 lower-case hex digits, got \"" + fp + "\"");
    }
    set.set_.insert(fp);
  }
  return set;
}

StatusOr<FingerprintSet> FingerprintSet::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, path + ": cannot open fingerprint file");
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

void FingerprintRecorder::Add(std::string_view fingerprint, std::string_view sql, uint64_t count) {
  if (fingerprint.empty() || count == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[std::string(fingerprint)];
  const bool first = e.count == 0;
  e.count += count;
  if (first) {
    e.example = Normalize(sql);
    for (char& c : e.example) {
      if (c == '\n' || c == '\t' || c == '\r') c = ' ';  // one line per entry
    }
  }
}

void FingerprintRecorder::Write(std::ostream& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, const Entry*>> rows;
  for (const auto& [fp, e] : entries_) rows.emplace_back(fp, &e);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  out << "# pgsieve fingerprint allow-list: fingerprint<TAB>count<TAB>normalized example\n";
  for (const auto& [fp, e] : rows) out << fp << '\t' << e->count << '\t' << e->example << '\n';
}

size_t FingerprintRecorder::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace pgsieve
