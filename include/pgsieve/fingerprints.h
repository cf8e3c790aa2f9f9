// Fingerprint allow-lists: statements identified by their structure.
//
// A fingerprint is libpg_query's pg_query_fingerprint of a statement: the
// same for statements that differ only in constants, white space or
// comments. It is coarser than that too: names that differ only in two or
// more trailing digits (orders_2023, orders_2024) and target lists of
// constants (SELECT 1 vs SELECT 1, 2) share a fingerprint, so [relations]
// still decides what a learned shape may read. In learn mode the firewall reports the fingerprint of every
// allowed statement; a FingerprintRecorder collects them into a file that a
// policy can then require (fingerprints = "require").
//
// File format (UTF-8 text): '#' comment lines, then one line per fingerprint:
//   <16 hex digits> TAB <count> TAB <normalized example (literals as $n)>
//
// Thread safety: FingerprintSet is immutable after loading; FingerprintRecorder
// may be fed from many threads at once.
#ifndef PGSIEVE_FINGERPRINTS_H_
#define PGSIEVE_FINGERPRINTS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_set>

#include "pgsieve/status.h"

namespace pgsieve {

// The fingerprint of `sql` (16 lower-case hex digits); empty when it does not parse.
std::string Fingerprint(std::string_view sql);

// `sql` with every literal replaced by a $n placeholder (pg_query_normalize);
// the text as given when it does not parse. Reports use it so that no
// literal value (a password, an e-mail address) is ever printed.
std::string Normalize(std::string_view sql);

class FingerprintSet {
 public:
  static StatusOr<FingerprintSet> Parse(std::string_view text, std::string_view source = "fingerprints");
  static StatusOr<FingerprintSet> Load(const std::string& path);

  bool Contains(std::string_view fingerprint) const { return set_.count(std::string(fingerprint)) > 0; }
  size_t size() const { return set_.size(); }

 private:
  std::unordered_set<std::string> set_;
};

class FingerprintRecorder {
 public:
  // Records `count` runs of an allowed statement under its fingerprint
  // (ignored when the fingerprint is empty).
  void Add(std::string_view fingerprint, std::string_view sql, uint64_t count = 1);
  // Writes the file format above, most frequent first.
  void Write(std::ostream& out) const;
  size_t size() const;

 private:
  struct Entry {
    uint64_t count = 0;
    std::string example;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace pgsieve

#endif  // PGSIEVE_FINGERPRINTS_H_
