// Static resource guards: costs a literal in the statement makes visible.
// Costs only the data decides (cartesian joins, bounded-but-huge recursion)
// are left to the server's statement_timeout (see README, threat model).
#include <cmath>
#include <string>

#include "node_access.h"
#include "tree_walker.h"

namespace pgsieve::internal {
namespace {

// Does the recursive term of a CTE stop by itself: a WHERE, a join condition,
// or a LIMIT?
bool HasTerminatingCondition(const SelectStmt* cte_query, const SelectStmt* recursive_term) {
  if (recursive_term->whereClause != nullptr || recursive_term->limitCount != nullptr ||
      cte_query->limitCount != nullptr || recursive_term->havingClause != nullptr) {
    return true;
  }
  const List* from = recursive_term->fromClause;
  for (int i = 0; IsPointerList(from) && i < ListLength(from); ++i) {
    const Node* item = ListItem(from, i);
    // Walk down the left-deep join tree (bounded: at most one node per join).
    for (int hops = 0; item != nullptr && nodeTag(item) == T_JoinExpr && hops < 10000; ++hops) {
      const auto* join = reinterpret_cast<const JoinExpr*>(item);
      const bool trivially_true =
          join->quals != nullptr && nodeTag(join->quals) == T_A_Const &&
          !reinterpret_cast<const A_Const*>(join->quals)->isnull &&
          nodeTag(&reinterpret_cast<const A_Const*>(join->quals)->val.node) == T_Boolean &&
          reinterpret_cast<const A_Const*>(join->quals)->val.boolval.boolval;
      if ((join->quals != nullptr && !trivially_true) || join->usingClause != nullptr || join->isNatural) {
        return true;
      }
      if (join->rarg != nullptr && nodeTag(join->rarg) == T_JoinExpr) {
        item = join->rarg;
      } else {
        item = join->larg;
      }
    }
  }
  return false;
}

// Does `node` (a FROM item) read the relation `name` directly?
bool ReadsName(const Node* node, std::string_view name, int budget = 64) {
  if (node == nullptr || budget <= 0) return false;
  switch (nodeTag(node)) {
    case T_RangeVar: {
      const auto* rv = reinterpret_cast<const RangeVar*>(node);
      return rv->schemaname == nullptr && rv->relname != nullptr && name == rv->relname;
    }
    case T_JoinExpr: {
      const auto* join = reinterpret_cast<const JoinExpr*>(node);
      return ReadsName(join->larg, name, budget - 1) || ReadsName(join->rarg, name, budget - 1);
    }
    default:
      return false;
  }
}

}  // namespace

void TreeWalker::CheckRecursiveCtes(const WithClause* with) {
  const List* ctes = with->ctes;
  for (int i = 0; IsPointerList(ctes) && i < ListLength(ctes); ++i) {
    const Node* item = ListItem(ctes, i);
    if (item == nullptr || nodeTag(item) != T_CommonTableExpr) continue;
    const auto* cte = reinterpret_cast<const CommonTableExpr*>(item);
    if (cte->ctename == nullptr || cte->ctequery == nullptr || nodeTag(cte->ctequery) != T_SelectStmt) continue;
    const auto* query = reinterpret_cast<const SelectStmt*>(cte->ctequery);
    if (query->op != SETOP_UNION || query->rarg == nullptr || nodeTag(query->rarg) != T_SelectStmt) continue;
    const SelectStmt* term = query->rarg;
    bool self_reference = false;
    for (int k = 0; IsPointerList(term->fromClause) && k < ListLength(term->fromClause); ++k) {
      self_reference = self_reference || ReadsName(ListItem(term->fromClause, k), cte->ctename);
    }
    if (self_reference && !HasTerminatingCondition(query, term)) {
      Report("resource-limit",
             "recursive CTE " + std::string(cte->ctename) +
                 " has no terminating condition in its recursive term (no WHERE, join condition or LIMIT); "
                 "add one, e.g. WHERE n < 100",
             cte->location);
    }
  }
}

void TreeWalker::GuardGenerateSeries(const FuncCall* call) {
  const int n = ListLength(call->args);
  if ((n != 2 && n != 3) || !IsPointerList(call->args)) return;
  auto start = NumericConstant(ListItem(call->args, 0));
  auto stop = NumericConstant(ListItem(call->args, 1));
  std::optional<long double> step = n == 3 ? NumericConstant(ListItem(call->args, 2)) : 1.0L;
  if (!start || !stop || !step || *step == 0) return;  // not literal: statement_timeout's job
  const long double span = (*stop - *start) / *step;
  if (span < 0) return;  // empty series
  const long double rows = std::floor(span) + 1;
  const auto limit = static_cast<long double>(policy_.policy().max_generated_rows);
  if (rows > limit) {
    Report("resource-limit",
           "generate_series would produce about " + std::to_string(static_cast<long long>(std::min(rows, 9e18L))) +
               " rows, more than max_generated_rows (" + std::to_string(policy_.policy().max_generated_rows) +
               "); generate fewer rows",
           call->location);
  }
}

void TreeWalker::GuardStringBuilder(const FuncCall* call, std::string_view name) {
  if (ListLength(call->args) < 2 || !IsPointerList(call->args)) return;
  auto count = NumericConstant(ListItem(call->args, 1));
  if (!count) return;
  long double bytes = *count;
  if (name == "repeat") {
    auto text = StringConstant(ListItem(call->args, 0));
    bytes *= static_cast<long double>(text && !text->empty() ? text->size() : 1);
  }
  if (bytes > static_cast<long double>(policy_.policy().max_string_bytes)) {
    Report("resource-limit",
           std::string(name) + " would build a string of about " +
               std::to_string(static_cast<long long>(std::min(bytes, 9e18L))) + " bytes, more than max_string_bytes (" +
               std::to_string(policy_.policy().max_string_bytes) + "); build a shorter string",
           call->location);
  }
}

void TreeWalker::GuardRegexLiteral(const Node* pattern, int location) {
  auto text = StringConstant(pattern);
  if (!text) return;
  for (size_t i = 0; i + 1 < text->size(); ++i) {
    if ((*text)[i] == '\\') {
      const char next = (*text)[i + 1];
      if (next >= '1' && next <= '9') {
        Report("resource-limit",
               "regular expression with a back-reference (\\" + std::string(1, next) +
                   ") can take exponential time in PostgreSQL's regex engine; rewrite the pattern without it",
               location);
        return;
      }
      ++i;  // skip the escaped character
    }
  }
}

}  // namespace pgsieve::internal
