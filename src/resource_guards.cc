// Static resource guards: costs a literal in the statement makes visible.
// Costs only the data decides (cartesian joins, bounded-but-huge recursion)
// are left to the server's statement_timeout (see README, threat model).
#include <cmath>
#include <cstdlib>
#include <optional>
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

// Where a recursive term reads its own CTE: found, and whether a condition
// on the way (a WHERE or join condition of a subquery holding the reference)
// can stop it.
struct SelfReference {
  bool found = false;
  bool conditioned = false;
};

// Either side reads it; conditioned when a side that reads it is (the server
// allows one reference to the recursive CTE in its term).
SelfReference Either(SelfReference a, SelfReference b) {
  return {a.found || b.found, (a.found && a.conditioned) || (b.found && b.conditioned)};
}

SelfReference FindInSelect(const SelectStmt* select, std::string_view name, int budget);

// Does `node` (a FROM item) read the relation `name`: directly, through
// joins, or inside a FROM subquery (which PostgreSQL accepts too)?
SelfReference FindSelfReference(const Node* node, std::string_view name, int budget = 64) {
  if (node == nullptr || budget <= 0) return {};
  switch (nodeTag(node)) {
    case T_RangeVar: {
      const auto* rv = reinterpret_cast<const RangeVar*>(node);
      return {rv->schemaname == nullptr && rv->relname != nullptr && name == rv->relname, false};
    }
    case T_JoinExpr: {
      const auto* join = reinterpret_cast<const JoinExpr*>(node);
      return Either(FindSelfReference(join->larg, name, budget - 1), FindSelfReference(join->rarg, name, budget - 1));
    }
    case T_RangeSubselect: {
      const Node* query = reinterpret_cast<const RangeSubselect*>(node)->subquery;
      if (query == nullptr || nodeTag(query) != T_SelectStmt) return {};
      return FindInSelect(reinterpret_cast<const SelectStmt*>(query), name, budget - 1);
    }
    default:
      return {};
  }
}

SelfReference FindInSelect(const SelectStmt* select, std::string_view name, int budget) {
  if (budget <= 0) return {};
  if (select->op != SETOP_NONE) {
    return Either(select->larg != nullptr ? FindInSelect(select->larg, name, budget - 1) : SelfReference{},
                  select->rarg != nullptr ? FindInSelect(select->rarg, name, budget - 1) : SelfReference{});
  }
  SelfReference out;
  for (int i = 0; IsPointerList(select->fromClause) && i < ListLength(select->fromClause); ++i) {
    out = Either(out, FindSelfReference(ListItem(select->fromClause, i), name, budget - 1));
  }
  if (out.found && HasTerminatingCondition(select)) out.conditioned = true;
  return out;
}

// Does the expression read a column (of the recursive row, typically)?
// Looks through the forms a FROM function's argument takes; anything else
// counts as not reading one (the guard then still applies).
bool ReadsAColumn(const Node* node, int budget = 32) {
  if (node == nullptr || budget <= 0) return false;
  switch (nodeTag(node)) {
    case T_ColumnRef:
      return true;
    case T_A_Expr: {
      const auto* e = reinterpret_cast<const A_Expr*>(node);
      return ReadsAColumn(e->lexpr, budget - 1) || ReadsAColumn(e->rexpr, budget - 1);
    }
    case T_TypeCast:
      return ReadsAColumn(reinterpret_cast<const TypeCast*>(node)->arg, budget - 1);
    case T_A_Indirection:
      return ReadsAColumn(reinterpret_cast<const A_Indirection*>(node)->arg, budget - 1);
    case T_FuncCall: {
      const List* args = reinterpret_cast<const FuncCall*>(node)->args;
      for (int i = 0; IsPointerList(args) && i < ListLength(args); ++i) {
        if (ReadsAColumn(ListItem(args, i), budget - 1)) return true;
      }
      return false;
    }
    case T_List: {
      const auto* list = reinterpret_cast<const List*>(node);
      for (int i = 0; IsPointerList(list) && i < ListLength(list); ++i) {
        if (ReadsAColumn(ListItem(list, i), budget - 1)) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

// Is a FROM item of the recursive term a function of the row, like
// jsonb_array_elements(node->'children')? Then the data decide when the
// recursion ends (a tree walk ends at its leaves), which is
// statement_timeout's business, not a static guard's.
bool HasFunctionOfColumns(const Node* node, int budget = 64) {
  if (node == nullptr || budget <= 0) return false;
  if (nodeTag(node) == T_JoinExpr) {
    const auto* join = reinterpret_cast<const JoinExpr*>(node);
    return HasFunctionOfColumns(join->larg, budget - 1) || HasFunctionOfColumns(join->rarg, budget - 1);
  }
  if (nodeTag(node) != T_RangeFunction) return false;
  return ReadsAColumn(reinterpret_cast<const Node*>(reinterpret_cast<const RangeFunction*>(node)->functions));
}

// A number the statement spells with literals: 1e12, '1e12'::numeric,
// +5, -(3), 1000000 * 1000000, 10 ^ 9. What the guards compare against
// their limits; nullopt when a column, parameter or function is involved.
std::optional<long double> FoldedNumber(const Node* node, int budget = 16) {
  if (node == nullptr || budget <= 0) return std::nullopt;
  if (auto n = NumericConstant(node)) return n;
  // '1e12', '1e12'::numeric: a string literal the server reads as a number
  // (an untyped literal takes the argument's numeric type).
  if (auto text = StringConstant(node); text && !text->empty() && text->size() < 64) {
    const std::string copy(*text);
    char* end = nullptr;
    const long double v = std::strtold(copy.c_str(), &end);
    while (end != nullptr && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')) ++end;
    if (end != copy.c_str() && end != nullptr && *end == '\0' && std::isfinite(v)) return v;
    return std::nullopt;
  }
  if (nodeTag(node) == T_TypeCast) return FoldedNumber(reinterpret_cast<const TypeCast*>(node)->arg, budget - 1);
  if (nodeTag(node) != T_A_Expr) return std::nullopt;
  const auto* e = reinterpret_cast<const A_Expr*>(node);
  const char* op = e->kind == AEXPR_OP ? OnlyString(e->name) : nullptr;
  if (op == nullptr || op[0] == '\0' || op[1] != '\0') return std::nullopt;
  const auto right = FoldedNumber(e->rexpr, budget - 1);
  if (!right) return std::nullopt;
  if (e->lexpr == nullptr) {  // prefix + or -
    if (op[0] == '+') return right;
    if (op[0] == '-') return -*right;
    return std::nullopt;
  }
  const auto left = FoldedNumber(e->lexpr, budget - 1);
  if (!left) return std::nullopt;
  switch (op[0]) {
    case '+': return *left + *right;
    case '-': return *left - *right;
    case '*': return *left * *right;
    case '/': return *right == 0 ? std::nullopt : std::optional<long double>(*left / *right);
    case '^': return std::pow(*left, *right);
    default: return std::nullopt;
  }
}

// How many bytes a string argument holds, when the statement says: a
// literal's own length, repeat(s, n) = |s| x n, lpad/rpad(s, n, ...) = n,
// a || b = |a| + |b|. Anything else counts as 1 byte (at least one).
long double EstimatedBytes(const Node* node, int budget = 16) {
  if (node == nullptr || budget <= 0) return 1;
  if (auto text = StringConstant(node)) return text->empty() ? 1 : static_cast<long double>(text->size());
  if (nodeTag(node) == T_TypeCast) return EstimatedBytes(reinterpret_cast<const TypeCast*>(node)->arg, budget - 1);
  if (nodeTag(node) == T_FuncCall) {
    const auto* call = reinterpret_cast<const FuncCall*>(node);
    auto parts = NameParts(call->funcname);
    if (!parts || ListLength(call->args) < 2 || !IsPointerList(call->args)) return 1;
    const auto count = FoldedNumber(ListItem(call->args, 1));
    if (!count || *count < 1) return 1;
    if (parts->name == "repeat") return EstimatedBytes(ListItem(call->args, 0), budget - 1) * *count;
    if (parts->name == "lpad" || parts->name == "rpad") return *count;
    return 1;
  }
  if (nodeTag(node) == T_A_Expr) {
    const auto* e = reinterpret_cast<const A_Expr*>(node);
    const char* op = e->kind == AEXPR_OP ? OnlyString(e->name) : nullptr;
    if (op != nullptr && op[0] == '|' && op[1] == '|' && op[2] == '\0') {
      return EstimatedBytes(e->lexpr, budget - 1) + EstimatedBytes(e->rexpr, budget - 1);
    }
  }
  return 1;
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
    SelfReference self;
    bool data_driven = false;
    for (int k = 0; IsPointerList(term->fromClause) && k < ListLength(term->fromClause); ++k) {
      const Node* item = ListItem(term->fromClause, k);
      self = Either(self, FindSelfReference(item, cte->ctename));
      data_driven = data_driven || HasFunctionOfColumns(item);
    }
    if (self.found && !self.conditioned && !data_driven && !HasTerminatingCondition(term)) {
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
  auto start = FoldedNumber(ListItem(call->args, 0));
  auto stop = FoldedNumber(ListItem(call->args, 1));
  std::optional<long double> step = n == 3 ? FoldedNumber(ListItem(call->args, 2)) : 1.0L;
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
  auto count = FoldedNumber(ListItem(call->args, 1));
  if (!count) return;
  long double bytes = *count;
  if (name == "repeat") bytes *= EstimatedBytes(ListItem(call->args, 0));
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
