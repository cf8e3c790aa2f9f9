// Golden case files (tests/cases/*.test): statement, expected verdict, codes,
// rewritten SQL and cap, as data. The format is documented in
// tests/cases/README.md; this is its reader.
#ifndef PGSIEVE_TESTS_GOLDEN_CASE_H_
#define PGSIEVE_TESTS_GOLDEN_CASE_H_

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace pgsieve::testing {

struct GoldenCase {
  std::string file;
  int line = 0;  // of the "::: case" directive
  std::string name;
  std::string policy;  // TOML; empty = the default policy
  std::string sql;
  std::string verdict;  // "allow" or "reject"
  std::set<std::string> codes;
  std::optional<std::string> rewritten;
  std::optional<long long> cap;
  std::optional<int> offset;
  std::optional<std::string> message_contains;
  // For the oracle: the side effect the statement has when run directly.
  std::optional<std::string> effect;
  // mode = "detect": the statement is allowed unchanged but would have been
  // rejected (Verdict::would_reject) for `codes`.
  bool would_reject = false;
  // mode = "learn" or fingerprints = "require": the verdict's fingerprint.
  std::optional<std::string> fingerprint;
};

// gtest prints a failing parameter with this (the name, not the bytes).
inline void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

// Reads every case of one file; malformed files produce a case whose name
// starts with "MALFORMED" so the test reports them instead of skipping them.
// A relative `fingerprint_file = "..."` in a policy section is resolved
// against the case file's directory (as LoadPolicyFile resolves it against
// the policy file's), so the cases run from any working directory.
std::vector<GoldenCase> ReadGoldenCases(const std::string& path);

// Every *.test file under `dir`, sorted.
std::vector<GoldenCase> ReadGoldenCaseDir(const std::string& dir);

}  // namespace pgsieve::testing

#endif  // PGSIEVE_TESTS_GOLDEN_CASE_H_
