// Verdict: what pgsieve decided about one statement, as a value.
//
// A statement is either allowed — `sql` is then the exact text to execute
// (possibly rewritten to carry a LIMIT) and `max_rows` the row cap it carries —
// or rejected with one or more violations. Violations are reported in document
// order; all of them, not just the first.
//
// Reason codes are stable kebab-case strings (the README lists them all):
//   parse-error, empty-statement, multiple-statements, invalid-encoding,
//   too-large, too-deep, node-not-allowed, internal-error,
//   <kind>-statement (insert-statement, ddl-statement, set-statement, ...),
//   create-table-as, select-into, locking-clause, data-modifying-cte,
//   explain-analyze, function-not-allowed, operator-not-allowed,
//   type-not-allowed, relation-not-allowed, ambiguous-string-literal,
//   resource-limit, fingerprint-not-allowed.
//
// Thread safety: a plain value.
#ifndef PGSIEVE_VERDICT_H_
#define PGSIEVE_VERDICT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace pgsieve {

struct Violation {
  std::string code;     // stable reason code, e.g. "function-not-allowed"
  std::string message;  // what was found and what to do instead
  int offset = 0;       // byte offset into the checked text (0-based)
  int line = 1;         // 1-based line of `offset`
  int column = 1;       // 1-based column of `offset`, in characters
  std::string fragment; // the offending text, starting at `offset`
};

enum class Decision { kAllow, kReject };

struct Verdict {
  Decision decision = Decision::kReject;
  // When allowed: the statement to execute (re-parsed and re-validated).
  std::string sql;
  // When allowed: the effective row cap the statement carries.
  int64_t max_rows = 0;
  // True when `sql` differs from the statement as given (LIMIT added, clamped
  // or wrapped).
  bool rewritten = false;
  // mode = "detect": the statement breaks the policy and would have been
  // rejected; it is allowed unchanged and `violations` say why.
  bool would_reject = false;
  // pg_query_fingerprint of `sql`, the statement that will run (16 hex
  // digits), computed in learn mode and when fingerprints = "require"; empty
  // otherwise.
  std::string fingerprint;
  std::vector<Violation> violations;

  bool allowed() const { return decision == Decision::kAllow; }
};

}  // namespace pgsieve

#endif  // PGSIEVE_VERDICT_H_
