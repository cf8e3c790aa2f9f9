// Shared by the fuzz targets: invariant checks that crash with a readable
// report (a crash is what libFuzzer records), and the oracle: a second,
// independent reading of a statement's parse tree through libpg_query's JSON
// output, which shares no code with the raw-tree walker it checks.
//
// The invariants are the README's promises:
//  - an allowed statement's text parses to exactly one statement, is allowed
//    again unchanged with the same cap (a fixed point), carries a top-level
//    LIMIT at most max_rows, and holds no node kind, function, operator or
//    relation the policy does not allow (the oracle's verdict);
//  - a rejection has violations in document order whose offsets, lines,
//    columns and fragments describe the input; no verdict is internal-error.
#ifndef PGSIEVE_FUZZ_FUZZ_SUPPORT_H_
#define PGSIEVE_FUZZ_FUZZ_SUPPORT_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_nodes.h"
#include "pgsieve/firewall.h"
#include "pgsieve/pgsieve.h"
#include "pgsieve/policy.h"
#include "pgsieve/verdict.h"

namespace pgsieve::fuzz {

// The input being checked, printed by Fail. Each target sets it first.
void SetInput(std::string_view input);

// Prints the failed invariant, the input (escaped) and aborts.
[[noreturn]] void Fail(const char* file, int line, std::string_view invariant, std::string_view detail);

template <typename... Args>
std::string Concat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

#define FUZZ_CHECK(cond, ...)                                                                   \
  do {                                                                                          \
    if (!(cond)) ::pgsieve::fuzz::Fail(__FILE__, __LINE__, #cond, ::pgsieve::fuzz::Concat(__VA_ARGS__)); \
  } while (0)

// A C-escaped, possibly shortened copy of `bytes` for reports.
std::string Escape(std::string_view bytes, size_t max = 2000);

// libpg_query's JSON parse tree of `sql` ({"version":..,"stmts":[..]}), or
// nullopt when PostgreSQL's parser rejects it. REQUIRES: no NUL byte in sql.
std::optional<nlohmann::json> ParseJson(std::string_view sql);

// The oracle: which statements the policy may allow, decided on the JSON tree
// from the documented rules and the reviewed data alone: node kinds from
// grammar/nodes.allow; functions and operators from the classified catalog
// (pg_catalog plus the policy's extension packs) and [functions]; qualified
// types from [types]; relations from [relations] and search_path; the
// top-level statement kind and EXPLAIN ANALYZE from the policy. More
// conservative than the walker where the walker reasons further, so it never
// disagrees with a correct walker: an unqualified name equal to any CTE name
// of the statement is not checked as a relation; attribute notation is
// checked only for names denied for a side effect; a qualified type in a
// search_path schema is accepted when any pack is enabled.
class Oracle {
 public:
  // Relation patterns must be ".*" alone or literal "schema\\.name" names;
  // with `check_relations` false (arbitrary fuzzed patterns) relations are
  // left to the walker.
  explicit Oracle(const Policy& policy, bool check_relations = true);

  // Why the statement (a {"Kind": {...}} wrapper from "stmts"[i]["stmt"])
  // must not be allowed; empty when the oracle sees nothing forbidden.
  std::vector<std::string> Forbidden(const nlohmann::json& stmt) const;

  const Policy& policy() const { return policy_; }

 private:
  bool InScopes(const std::string& name, bool core, bool packs,
                const std::set<std::pair<std::string, std::string>>& table) const;
  bool InSearchPath(const std::string& schema) const;
  bool FunctionAllowed(const std::string& schema, const std::string& name) const;
  bool OperatorAllowed(const std::string& schema, const std::string& op) const;
  bool TypeAllowed(const std::string& schema) const;
  bool RelationAllowed(const std::string& schema, const std::string& name) const;
  bool QualifiedRelationAllowed(const std::string& schema, const std::string& name) const;

  Policy policy_;
  bool check_relations_;
  bool every_relation_ = false;
  std::set<std::string> relations_allowed_, relations_denied_;
  std::set<std::string> extra_functions_, extra_qualified_functions_;
  std::set<std::string> denied_functions_, denied_qualified_functions_;
};

// Every invariant of a verdict on `input` under `firewall` (whose policy the
// oracle describes). Checking an allowed statement re-checks its text.
void CheckVerdict(const Firewall& firewall, const Oracle& oracle, std::string_view input, const Verdict& verdict);

// The rejection invariants alone (offsets, positions, fragments, codes, order).
// `policy`, when given, lets a known bug be recognised (KnownBugTolerated).
void CheckViolations(std::string_view input, const Verdict& verdict, const Policy* policy = nullptr);

// Open bugs the fuzzers found whose fixes lie outside fuzz/ (README.md,
// "Findings"), each recognised precisely where its invariant fails. Tolerated
// only while the environment variable PGSIEVE_FUZZ_KNOWN_BUGS names the bug
// (comma-separated ids, or "all"), so that a campaign can go on finding new
// bugs instead of the same one; nothing else sets it. Each open bug's seed in
// fuzz/open_bugs/<target>/ is replayed by meson test as an expected failure.
bool KnownBugTolerated(std::string_view id);

// The constant a top-level SelectStmt's JSON carries as its LIMIT/FETCH count,
// as written (libpg_query's JSON shows negative integers as 0); nullopt when
// there is no numeric constant count (absent, ALL/NULL, a string, an
// expression) or the count is WITH TIES.
std::optional<long double> ConstantLimit(const nlohmann::json& select_body);

// The rows such a LIMIT returns: rounded half away from zero as PostgreSQL's
// numeric-to-bigint cast does; 0 for a negative one.
int64_t RowsOf(long double limit);

// Node multisets for the conformance check (tests/support/json_nodes.h,
// shared with tests/conformance_test.cc).
using testing::JsonNodes;
using testing::NodeBag;
using testing::NodeKey;

// rewrite_fuzzer's oracle (oracles.cc): `v` is the allowed verdict on
// statement + trail under a policy capping at `cap`; checks that the rewrite
// kept, limited or wrapped the statement as its own JSON tree says it must,
// tree and text. Returns the outcome ("allow append", "allow wrap", ...).
std::string CheckRewrite(const Verdict& v, const std::string& statement, const std::string& trail, int64_t cap);

// jsonl_fuzzer's oracle (oracles.cc): one input line through CheckJsonLine
// (what `pgsieve check --jsonl` prints for it), held to the machine contract,
// and compared with Firewall::Check and the C API on the same firewall policy.
void CheckJsonLine(const Firewall& firewall, const pgsieve_firewall* c_firewall, std::string_view line);

}  // namespace pgsieve::fuzz

#endif  // PGSIEVE_FUZZ_FUZZ_SUPPORT_H_
