// LimitRewriter: gives an allowed statement a server-enforced row cap.
//
// Only the top-level statement's own LIMIT/FETCH counts (one inside a
// subquery, CTE or parenthesised set-operation branch does not). The user's
// text is kept byte for byte wherever possible:
//   no LIMIT/FETCH            -> append " LIMIT n" ("\nLIMIT n" when the text
//                                holds "--", so a trailing comment cannot
//                                swallow it)
//   constant <= cap            -> keep (the constant is the effective cap)
//   constant > cap             -> the literal's token is replaced by the cap
//   ALL, NULL, $n, expression,
//   FETCH ... WITH TIES        -> wrap: SELECT * FROM (\n<stmt>\n) AS
//                                pgsieve_capped LIMIT n
// EXPLAIN and SHOW are not rewritten (they return a plan or a setting).
// The caller re-parses and re-validates whatever this returns.
#ifndef PGSIEVE_SRC_LIMIT_REWRITER_H_
#define PGSIEVE_SRC_LIMIT_REWRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "pg_nodes.h"

namespace pgsieve::internal {

enum class LimitAction { kKeep, kAppend, kClamp, kWrap };

struct LimitPlan {
  LimitAction action = LimitAction::kKeep;
  int64_t effective_cap = 0;
  // kClamp: the literal's byte range within the statement text.
  size_t literal_begin = 0;
  size_t literal_length = 0;
};

// The statement's own text: from its start to its end (a trailing ';' and
// what follows it excluded), trailing white space trimmed.
std::string_view StatementText(const RawStmt* stmt, std::string_view input);

// Decides how to cap `stmt` (whose text is `statement`, starting at byte
// `statement_offset` of the input).
LimitPlan PlanLimit(const RawStmt* stmt, std::string_view statement, int statement_offset, int64_t max_rows);

// The statement to execute under `plan`.
std::string ApplyLimitPlan(std::string_view statement, const LimitPlan& plan, int64_t max_rows);

// The wrapped form, used as the fallback whenever a splice does not validate.
std::string WrapWithLimit(std::string_view statement, int64_t max_rows);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_LIMIT_REWRITER_H_
