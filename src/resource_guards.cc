// Static resource guards: costs a literal in the statement makes visible.
// Costs only the data decides (cartesian joins, bounded-but-huge recursion)
// are left to the server's statement_timeout (see README, threat model).
#include <cmath>
#include <string>
#include <vector>

#include "node_access.h"
#include "tree_walker.h"

namespace pgsieve::internal {
namespace {

bool IsTrueConstant(const Node* node) {
  if (node == nullptr || nodeTag(node) != T_A_Const) return false;
  const auto* c = reinterpret_cast<const A_Const*>(node);
  return !c->isnull && nodeTag(&c->val.node) == T_Boolean && c->val.boolval.boolval;
}

// Does the recursive term of a CTE have a condition that can stop it: a WHERE
// or a join condition that is not the constant TRUE? A LIMIT inside the
// recursive term does not count: it caps each iteration, not the recursion.
bool HasTerminatingCondition(const SelectStmt* recursive_term) {
  if (recursive_term->whereClause != nullptr && !IsTrueConstant(recursive_term->whereClause)) return true;
  std::vector<const Node*> pending;
  const List* from = recursive_term->fromClause;
  for (int i = 0; IsPointerList(from) && i < ListLength(from); ++i) pending.push_back(ListItem(from, i));
  for (int budget = 100000; !pending.empty() && budget > 0; --budget) {
    const Node* item = pending.back();
    pending.pop_back();
    if (item == nullptr || nodeTag(item) != T_JoinExpr) continue;
    const auto* join = reinterpret_cast<const JoinExpr*>(item);
    if ((join->quals != nullptr && !IsTrueConstant(join->quals)) || join->usingClause != nullptr || join->isNatural) {
      return true;
    }
    pending.push_back(join->larg);
    pending.push_back(join->rarg);
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
    if (self_reference && !HasTerminatingCondition(term)) {
      Report("resource-limit",
             "recursive CTE " + std::string(cte->ctename) +
                 " has no terminating condition in its recursive term (no WHERE or join condition; a LIMIT there "
                 "caps each step, not the recursion); "
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
