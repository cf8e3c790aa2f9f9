#include "tree_walker.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "node_access.h"

namespace pgsieve::internal {
namespace {

std::string_view AdviceFor(std::string_view code) {
  if (code == "select-into") return "remove INTO; results are returned to the caller, not stored";
  if (code == "locking-clause") return "remove the FOR UPDATE/SHARE clause; a read needs no row locks";
  if (code == "create-table-as") return "send the SELECT alone; results are returned to the caller";
  return "only a single read-only SELECT (or EXPLAIN of one) is allowed";
}

// EXPLAIN's ANALYZE option is off only when its value is clearly false.
bool OptionIsOn(const Node* arg) {
  if (arg == nullptr) return true;
  switch (nodeTag(arg)) {
    case T_Boolean:
      return reinterpret_cast<const Boolean*>(arg)->boolval;
    case T_Integer:
      return reinterpret_cast<const Integer*>(arg)->ival != 0;
    case T_String: {
      const std::string_view v = StringValue(arg).value_or("");
      static constexpr std::string_view kFalse[] = {"false", "off", "0", "f", "fa", "fal", "fals", "no", "n", "of"};
      for (std::string_view f : kFalse) {
        if (v == f) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

// What Visit needs of a node kind, in one table load: may it be entered, is
// it a leaf (nothing below it, no hook: only its depth counts), and is it a
// kind that usually holds only leaves (a constant, a plain column name, a
// select-list item of those: SettledInline). The list below names every kind
// TreeWalker has an Enter overload for (tree_walker.h).
enum : uint8_t { kEnter = 1, kLeaf = 2, kOneLeaf = 4 };
struct WalkInfo {
  uint8_t flags = 0;
  int16_t location_offset = -1;
};
constexpr auto kWalkInfo = [] {
  std::array<WalkInfo, kMaxNodeTag + 1> a{};
  for (size_t t = 0; t < a.size(); ++t) {
    a[t].flags = static_cast<uint8_t>((kKindInfo[t].allowed ? kEnter : 0) | (kKindInfo[t].leaf ? kLeaf : 0));
    a[t].location_offset = kKindInfo[t].location_offset;
  }
  for (NodeTag t : {T_SelectStmt, T_WithClause, T_CommonTableExpr, T_ExplainStmt, T_FuncCall, T_A_Expr, T_SortBy,
                    T_SubLink, T_ColumnRef, T_A_Indirection, T_RangeVar, T_RangeTableSample, T_TypeName}) {
    a[t].flags = static_cast<uint8_t>(a[t].flags & ~kLeaf);  // a hooked kind is never skipped
  }
  a[T_A_Const].flags |= kOneLeaf;
  a[T_ColumnRef].flags |= kOneLeaf;
  a[T_ResTarget].flags |= kOneLeaf;
  return a;
}();

// An allowed leaf kind: visiting it only counts its depth.
[[gnu::always_inline]] inline bool IsLeaf(const Node* node) {
  const auto t = static_cast<unsigned>(nodeTag(node));
  return t <= static_cast<unsigned>(kMaxNodeTag) && kWalkInfo[t].flags == (kEnter | kLeaf);
}

bool IsWriteStatement(NodeTag tag) {
  return tag == T_InsertStmt || tag == T_UpdateStmt || tag == T_DeleteStmt || tag == T_MergeStmt;
}

// The walk does not track locations (a save and restore per node); a report
// made without one names its node instead, and this second walk, run only
// when there are such reports, finds for each the nearest location at or
// above that node, as PostgreSQL's own error positions would point.
class NearestLocations {
 public:
  NearestLocations(std::vector<PendingLocation>& pending, int base, int max_depth)
      : pending_(pending), top_(base), max_depth_(max_depth) {
    for (size_t i = 0; i < pending_.size(); ++i) index_.push_back({pending_[i].node, i});
    std::sort(index_.begin(), index_.end());
  }

  void Run(const Node* root) {
    Visit(root);
    for (PendingLocation& p : pending_) {
      if (p.location < 0) p.location = top_;  // not met: the statement's own location
    }
  }

  // For VisitChildren.
  void Child(const Node* node) {
    if (node != nullptr) Visit(node);
  }
  void InlineValue(const Node* value) { Visit(value); }
  void Items(const List* list) {
    if (list == nullptr) return;
    Mark(list, -1);
    if (list->type != T_List) return;
    for (int i = 0; i < list->length; ++i) Child(ListItem(list, i));
  }

 private:
  void Visit(const Node* node) {
    // Exactly the nodes the walk entered: allowed kinds within max_depth.
    const bool entered = depth_ < max_depth_ && IsAllowedKind(nodeTag(node));
    const int own = entered ? LocationOf(node) : -1;
    Mark(node, own);
    if (!entered) return;
    const int saved = top_;
    if (own >= 0) top_ = own;
    ++depth_;
    VisitChildren(*this, node);
    --depth_;
    top_ = saved;
  }

  void Mark(const void* node, int own) {
    auto it = std::lower_bound(index_.begin(), index_.end(), std::pair<const void*, size_t>{node, 0});
    for (; it != index_.end() && it->first == node; ++it) {
      PendingLocation& p = pending_[it->second];
      if (p.location < 0) p.location = p.self && own >= 0 ? own : top_;
    }
  }

  std::vector<PendingLocation>& pending_;
  std::vector<std::pair<const void*, size_t>> index_;
  int top_;
  const int max_depth_;
  int depth_ = 0;
};

}  // namespace

TreeWalker::TreeWalker(const CompiledPolicy& policy, std::string_view text, Findings& findings,
                       NodeObserver* observer)
    : policy_(policy),
      text_(text),
      findings_(findings),
      observer_(observer),
      max_depth_(policy.policy().max_depth),
      depth_limit_(max_depth_) {}

void TreeWalker::WalkStatement(const RawStmt* stmt) {
  const Node* root = reinterpret_cast<const Node*>(stmt);
  // Only EXPLAIN and SHOW have policy switches of their own.
  if (stmt->stmt != nullptr && (nodeTag(stmt->stmt) == T_ExplainStmt || nodeTag(stmt->stmt) == T_VariableShowStmt)) {
    CheckTopLevel(stmt);
  }
  if (observer_ == nullptr && stmt->stmt != nullptr && depth_limit_ > 1) {
    // RawStmt has no check and one child: start below it, at its depth.
    ++depth_;
    Visit(stmt->stmt);
    --depth_;
  } else {
    Visit(root);
  }
  if (pending_.empty()) return;
  NearestLocations(pending_, stmt->stmt_location, max_depth_).Run(root);
  for (const PendingLocation& p : pending_) findings_[p.finding].offset = p.location;
  pending_.clear();
}

void TreeWalker::Report(std::string_view code, std::string message, int location) {
  if (location < 0) pending_.push_back(PendingLocation{findings_.size(), report_node_, report_self_});
  findings_.push_back(Finding{code, std::move(message), location});
}

// The walk's hot path: about 40 nodes per text2sql statement, half of them
// leaves (String, A_Star, constants' values), which cost a table load and a
// depth test. Everything rare (reports, the observer) is out of line so the
// common path keeps few registers.
[[gnu::noinline]] void TreeWalker::Visit(const Node* node) {
  const auto tag = static_cast<unsigned>(nodeTag(node));
  const uint8_t flags = tag <= static_cast<unsigned>(kMaxNodeTag) ? kWalkInfo[tag].flags : 0;
  if (flags == (kEnter | kLeaf) && observer_ == nullptr) {
    if (depth_ >= depth_limit_) [[unlikely]] ReportTooDeep(node);
    return;
  }
  // A constant, a plain column, a select-list item of one: when all it holds
  // are leaves within the depth limit, there is nothing else to do.
  if ((flags & kOneLeaf) && observer_ == nullptr && SettledInline(node, tag)) return;
  VisitNode(node, static_cast<NodeTag>(tag), flags);
}

// An A_Const or a one-field ColumnRef whose one child is a leaf (or a NULL
// constant, which has none).
[[gnu::always_inline]] inline bool HoldsOneLeaf(const Node* node, unsigned tag) {
  if (tag == T_A_Const) {
    const auto* c = reinterpret_cast<const A_Const*>(node);
    return c->isnull || IsLeaf(&c->val.node);
  }
  if (tag != T_ColumnRef) return false;
  const List* fields = reinterpret_cast<const ColumnRef*>(node)->fields;
  return fields != nullptr && fields->type == T_List && fields->length == 1 && ListItem(fields, 0) != nullptr &&
         IsLeaf(ListItem(fields, 0));
}

// True when visiting the node (at depth_) would run no check and reach only
// leaves, all within the depth limit, so there is nothing to do: an A_Const
// (its value is an Integer, Float, Boolean, String or BitString, or nothing
// when NULL), a ColumnRef of one field (a column name or *: CheckColumnRef
// looks only at qualified references), and a select-list item (ResTarget
// without indirection) holding a leaf or one of those two.
[[gnu::always_inline]] inline bool TreeWalker::SettledInline(const Node* node, unsigned tag) const {
  if (tag != T_ResTarget) return depth_ + 1 < depth_limit_ && HoldsOneLeaf(node, tag);
  const auto* target = reinterpret_cast<const ResTarget*>(node);
  const Node* val = target->val;
  if (target->indirection != nullptr || val == nullptr) return false;
  if (IsLeaf(val)) return depth_ + 1 < depth_limit_;
  return depth_ + 2 < depth_limit_ && HoldsOneLeaf(val, static_cast<unsigned>(nodeTag(val)));
}

[[gnu::always_inline]] inline void TreeWalker::Child(const Node* node) {
  if (node != nullptr) Visit(node);
}

[[gnu::always_inline]] inline void TreeWalker::Items(const List* list) {
  if (list == nullptr) return;
  if (list->type != T_List) [[unlikely]] {
    // An integer or OID list where the proto promises nodes: never read it.
    ReportNotAllowed(reinterpret_cast<const Node*>(list), list->type);
    return;
  }
  // Once too deep, VisitNode returns at once: no test per item needed.
  const int n = list->length;
  for (int i = 0; i < n; ++i) Child(ListItem(list, i));
}

[[gnu::always_inline]] inline void TreeWalker::InlineValue(const Node* value) { Visit(value); }

void TreeWalker::ReportTooDeep(const Node* node) {
  if (too_deep_) return;
  too_deep_ = true;
  depth_limit_ = -1;  // from now on every node stops at the depth test
  report_node_ = node;  // where the walk stopped; located by its parents
  report_self_ = false;
  Report("too-deep",
         "the parse tree is nested deeper than max_depth (" + std::to_string(policy_.policy().max_depth) +
             "); flatten the query (fewer nested parentheses, subqueries or expressions)",
         -1);
}

void TreeWalker::RefuseKind(const Node* node, NodeTag tag) {
  if (observer_ != nullptr) observer_->OnNode(tag, -1, false);
  ReportNotAllowed(node, tag);
}

void TreeWalker::VisitNode(const Node* node, NodeTag tag, uint8_t flags) {
  // Once too deep, depth_limit_ is -1: this test ends the walk everywhere.
  if (depth_ >= depth_limit_) [[unlikely]] {
    ReportTooDeep(node);
    return;
  }
  if (!(flags & kEnter)) [[unlikely]] {
    RefuseKind(node, tag);
    return;
  }
  if (observer_ != nullptr) [[unlikely]] observer_->OnNode(tag, LocationOf(node), true);
  ++depth_;
  VisitChildren(*this, node);  // with the kind's Enter hook, if it has one
  --depth_;
}

void TreeWalker::ReportNotAllowed(const Node* node, NodeTag tag) {
  // The refused node is not entered: it is located by its parents.
  report_node_ = node;
  report_self_ = false;
  if (node == cte_body_ && IsWriteStatement(tag)) {
    const DeniedKind* kind = DeniedKindInfo(tag);
    Report("data-modifying-cte",
           std::string(kind->what) + " inside WITH; a CTE must be a read-only SELECT", -1);
    return;
  }
  // GRANT and REVOKE share a node kind. The one field read from a kind that
  // is not allowed: is_grant, to name the code; the verdict is reject either way.
  if ((tag == T_GrantStmt && !reinterpret_cast<const GrantStmt*>(node)->is_grant) ||
      (tag == T_GrantRoleStmt && !reinterpret_cast<const GrantRoleStmt*>(node)->is_grant)) {
    Report("revoke-statement", std::string("REVOKE changes privileges; ") + std::string(AdviceFor("")), -1);
    return;
  }
  if (const DeniedKind* kind = DeniedKindInfo(tag)) {
    Report(kind->code, std::string(kind->what) + "; " + std::string(AdviceFor(kind->code)), -1);
    return;
  }
  const char* name = NodeKindName(tag);
  Report("node-not-allowed",
         std::string("parse node ") + (name != nullptr ? name : "of unknown kind " + std::to_string(static_cast<int>(tag))) +
             " is not on the reviewed allow-list (grammar/nodes.allow); rewrite the query with plain SELECT syntax",
         -1);
}

void TreeWalker::CheckTopLevel(const RawStmt* stmt) {
  const Node* s = stmt->stmt;
  if (s == nullptr) return;
  if (nodeTag(s) == T_ExplainStmt && !policy_.policy().explain) {
    Report("explain-statement", "EXPLAIN is not allowed by the policy (explain = false); send the SELECT itself",
           stmt->stmt_location);
  }
  if (nodeTag(s) == T_VariableShowStmt && !policy_.policy().show) {
    Report("show-statement", "SHOW is not allowed by the policy (show = false); server settings are not exposed",
           stmt->stmt_location);
  }
}

// The hooks (VisitChildren calls the overload for the node's kind before its
// children; the guard returned runs after them). A report without a location
// made inside a hook is located at or above the hooked node.
void TreeWalker::At(const void* node) {
  report_node_ = static_cast<const Node*>(node);
  report_self_ = true;
}

TreeWalker::Leaving TreeWalker::Enter(const SelectStmt* s) {
  At(s);
  const size_t alias_mark = function_aliases_.size();
  const bool with = s->withClause != nullptr && nodeTag(s->withClause) == T_WithClause;
  if (with) {
    scopes_.push_back(CteScope{s->withClause->ctes, ListLength(s->withClause->ctes), s->withClause->recursive});
  }
  PushFunctionAliases(s);
  // Most SELECTs have neither WITH nor a FROM function: nothing to undo.
  if (!with && function_aliases_.size() == alias_mark) return Leaving(this, nullptr, s, 0);
  return Leaving(this, &TreeWalker::LeaveSelect, s, alias_mark);
}

void TreeWalker::LeaveSelect(const Node* node, size_t alias_mark) {
  const auto* s = reinterpret_cast<const SelectStmt*>(node);
  if (s->withClause != nullptr && nodeTag(s->withClause) == T_WithClause && !scopes_.empty()) scopes_.pop_back();
  // FROM functions named by this SELECT are visible inside it only.
  function_aliases_.resize(alias_mark);
}

TreeWalker::Leaving TreeWalker::Enter(const WithClause* w) {
  At(w);
  // The scope was pushed by the SelectStmt that owns this clause. While the
  // CTE bodies are walked, a non-recursive CTE sees only earlier siblings.
  if (!scopes_.empty() && !w->recursive) scopes_.back().visible = 0;
  if (w->recursive) CheckRecursiveCtes(w);
  return Leaving(this, &TreeWalker::LeaveWith, w, 0);
}

// Past WITH, every CTE of the clause is visible to the query.
void TreeWalker::LeaveWith(const Node*, size_t) {
  if (!scopes_.empty()) scopes_.back().visible = ListLength(scopes_.back().ctes);
}

TreeWalker::Leaving TreeWalker::Enter(const CommonTableExpr* cte) {
  At(cte);
  cte_body_ = cte->ctequery;
  return Leaving(this, &TreeWalker::LeaveCte, cte, 0);
}

// Past a non-recursive CTE, the next sibling may refer to it.
void TreeWalker::LeaveCte(const Node*, size_t) {
  if (!scopes_.empty() && !scopes_.back().recursive) ++scopes_.back().visible;
}

void TreeWalker::CheckSortOperator(const SortBy* sort) { CheckOperatorName(sort->useOp, sort->location); }

// x op ANY/ALL (subquery), x IN (subquery) (operator "="), and row
// comparisons with a subquery: the operator runs as in an expression.
void TreeWalker::CheckSubLinkOperator(const SubLink* link) { CheckOperatorName(link->operName, link->location); }

// An operator's name, wherever it is written (an expression, ORDER BY ...
// USING, a sublink; null: none): reported unless the policy allows it.
// Returns the operator itself, without schema (empty when malformed).
// Inlined: CheckOperator runs for every operator of every statement.
[[gnu::always_inline]] inline std::string_view TreeWalker::CheckOperatorName(const List* name, int location) {
  if (name == nullptr) return {};
  // The common case, settled from the first bytes: an unqualified operator
  // of one or two characters that the policy allows ("=", "<>", "||", ...).
  if (const char* op = OnlyString(name); op != nullptr && policy_.IsAllowedShortOperator(op)) {
    return std::string_view(op, op[1] == '\0' ? 1 : 2);  // one or two bytes, as the set holds
  }
  auto parts = NameParts(name);
  if (!parts) {
    Report("operator-not-allowed", "operator name of an unexpected form; not allowed", location);
    return {};
  }
  if (auto refusal = policy_.CheckOperator(parts->schema, parts->name)) {
    Report("operator-not-allowed", std::move(refusal->message), location);
  }
  return parts->name;
}

void TreeWalker::CheckColumnRef(const ColumnRef* ref) {
  const int n = ListLength(ref->fields);
  if (n < 2 || !IsPointerList(ref->fields)) return;  // a plain column: nothing to check
  // x.name: x is a FROM item; a.b.name: a.b is schema.table (a row).
  // Usually no FROM function is in scope: then the qualifier is not read.
  const FunctionRow* function_row = nullptr;
  if (n == 2 && !function_aliases_.empty()) {
    if (auto qualifier = StringValue(ListItem(ref->fields, 0))) function_row = FunctionRowNamed(*qualifier);
  }
  const bool function = function_row != nullptr && function_row->item != nullptr;
  // Declared columns count only for the item the qualifier names for sure
  // (not for one of unpredicted name, which any qualifier may mean).
  const bool named = function && function_row->name.data() != kAnyQualifier.data();
  CheckAttribute(ListItem(ref->fields, n - 1), ref->location,
                 function ? CompiledPolicy::AttributeArgument::kAnyValue : CompiledPolicy::AttributeArgument::kRow,
                 named ? function_row->item : nullptr);
}

void TreeWalker::CheckIndirection(const A_Indirection* ind) {
  if (!IsPointerList(ind->indirection)) return;
  for (int i = 0; i < ListLength(ind->indirection); ++i) {
    CheckAttribute(ListItem(ind->indirection, i), -1, CompiledPolicy::AttributeArgument::kAnyValue);
  }
}

void TreeWalker::CheckType(const TypeName* type) {
  if (ListLength(type->names) < 2) return;  // unqualified: resolved by the server, not checked
  if (auto parts = NameParts(type->names)) {
    if (auto refusal = policy_.CheckType(parts->schema, parts->name)) {
      Report("type-not-allowed", std::move(refusal->message), type->location);
    }
  }
}

void TreeWalker::PushFunctionAliases(const SelectStmt* select) {
  // Under an outer FROM function, this SELECT's other FROM items are pushed
  // too (as rows): one of them named like the outer function hides it.
  const bool shadows = !function_aliases_.empty();
  for (int i = 0; IsPointerList(select->fromClause) && i < ListLength(select->fromClause); ++i) {
    const Node* item = ListItem(select->fromClause, i);
    // Otherwise only joins and FROM functions matter: they can hold one.
    if (item != nullptr && (shadows || nodeTag(item) == T_JoinExpr || nodeTag(item) == T_RangeFunction)) {
      AddFunctionAliases(item, policy_.policy().max_depth, shadows);
    }
  }
}

// Join trees recurse no deeper than the walk itself will (max_depth).
void TreeWalker::AddFunctionAliases(const Node* item, int budget, bool with_rows) {
  if (item == nullptr || budget <= 0) return;
  const auto row = [this, with_rows](const Alias* alias, const char* name) {
    if (!with_rows) return;
    if (alias != nullptr && nodeTag(alias) == T_Alias && alias->aliasname != nullptr) name = alias->aliasname;
    if (name != nullptr) function_aliases_.push_back({name, nullptr});
  };
  switch (nodeTag(item)) {
    case T_JoinExpr: {
      const auto* join = reinterpret_cast<const JoinExpr*>(item);
      AddFunctionAliases(join->larg, budget - 1, with_rows);
      AddFunctionAliases(join->rarg, budget - 1, with_rows);
      row(join->alias, nullptr);
      return;
    }
    case T_RangeVar: {
      const auto* rv = reinterpret_cast<const RangeVar*>(item);
      row(rv->alias, rv->relname);
      return;
    }
    case T_RangeTableSample:
      AddFunctionAliases(reinterpret_cast<const RangeTableSample*>(item)->relation, budget - 1, with_rows);
      return;
    case T_RangeSubselect:
      row(reinterpret_cast<const RangeSubselect*>(item)->alias, nullptr);
      return;
    case T_RangeTableFunc:
      row(reinterpret_cast<const RangeTableFunc*>(item)->alias, nullptr);
      return;
    case T_RangeFunction:
      break;
    default:
      return;
  }
  const auto* rf = reinterpret_cast<const RangeFunction*>(item);
  if (rf->alias != nullptr && nodeTag(rf->alias) == T_Alias && rf->alias->aliasname != nullptr) {
    function_aliases_.push_back({rf->alias->aliasname, rf});
    return;
  }
  // Unaliased: the item is named after its (first) function, as the server
  // names it (FigureColname). That is the function's own name for a call;
  // for the SQL-syntax forms (COALESCE, NULLIF, GREATEST, CAST, CURRENT_USER,
  // XMLELEMENT, ...) it is a keyword, a type name or an argument's name, so
  // rather than predict it, any qualifier may then name a function row.
  const Node* first = ListLength(rf->functions) > 0 ? ListItem(rf->functions, 0) : nullptr;
  if (first != nullptr && nodeTag(first) == T_List && ListLength(reinterpret_cast<const List*>(first)) > 0) {
    const Node* call = ListItem(reinterpret_cast<const List*>(first), 0);
    if (call != nullptr && nodeTag(call) == T_FuncCall) {
      if (auto parts = NameParts(reinterpret_cast<const FuncCall*>(call)->funcname)) {
        function_aliases_.push_back({parts->name, rf});
        return;
      }
    }
  }
  function_aliases_.push_back({kAnyQualifier, rf});
}

const TreeWalker::FunctionRow* TreeWalker::FunctionRowNamed(std::string_view name) const {
  // Innermost first: a subquery's FROM item hides an outer one of the same
  // name. An item of unpredicted name may be the one meant.
  for (auto row = function_aliases_.rbegin(); row != function_aliases_.rend(); ++row) {
    if (row->name.data() == kAnyQualifier.data() || row->name == name) return &*row;  // item null: a row
  }
  return nullptr;
}

bool TreeWalker::IsCteInScope(std::string_view name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    for (int i = 0; i < it->visible && i < ListLength(it->ctes); ++i) {
      const Node* item = ListItem(it->ctes, i);
      if (item == nullptr || nodeTag(item) != T_CommonTableExpr) continue;
      const char* cte_name = reinterpret_cast<const CommonTableExpr*>(item)->ctename;
      if (cte_name != nullptr && name == cte_name) return true;
    }
  }
  return false;
}

void TreeWalker::CheckExplain(const ExplainStmt* explain) {
  if (!IsPointerList(explain->options)) return;
  for (int i = 0; i < ListLength(explain->options); ++i) {
    const Node* opt = ListItem(explain->options, i);
    if (opt == nullptr || nodeTag(opt) != T_DefElem) continue;
    const auto* def = reinterpret_cast<const DefElem*>(opt);
    if (def->defname == nullptr || std::string_view(def->defname) != "analyze") continue;
    if (OptionIsOn(def->arg) && !policy_.policy().explain_analyze) {
      Report("explain-analyze",
             "EXPLAIN ANALYZE executes the statement; it is not allowed (explain_analyze = false): use EXPLAIN "
             "without ANALYZE",
             def->location);
    }
  }
}

void TreeWalker::CheckFuncCall(const FuncCall* call) {
  auto parts = NameParts(call->funcname);
  if (!parts) {
    Report("function-not-allowed", "function call with a name pgsieve cannot read; not allowed", call->location);
    return;
  }
  if (auto refusal = policy_.CheckFunction(parts->schema, parts->name)) {
    Report("function-not-allowed", std::move(refusal->message), call->location);
    return;
  }
  if (!parts->schema.empty() && parts->schema != "pg_catalog") return;  // guards cover built-ins only
  const std::string_view name = parts->name;
  if (name == "generate_series") {
    GuardGenerateSeries(call);
  } else if (name == "repeat" || name == "lpad" || name == "rpad") {
    GuardStringBuilder(call, name);
  } else if (name.substr(0, 7) == "regexp_" || (name == "substring" && ListLength(call->args) == 2)) {
    if (ListLength(call->args) >= 2 && IsPointerList(call->args)) {
      GuardRegexLiteral(ListItem(call->args, 1), call->location);
    }
  }
}

void TreeWalker::CheckOperator(const A_Expr* expr) {
  // BETWEEN's name is a keyword ("BETWEEN", "NOT BETWEEN SYMMETRIC", ...): the
  // server expands it into >= and <=, which are built-in operators.
  const bool between = expr->kind == AEXPR_BETWEEN || expr->kind == AEXPR_NOT_BETWEEN ||
                       expr->kind == AEXPR_BETWEEN_SYM || expr->kind == AEXPR_NOT_BETWEEN_SYM;
  if (between) return;
  const std::string_view op = CheckOperatorName(expr->name, expr->location);
  // The regular-expression matches: ~ ~* !~ !~* (not ~~, LIKE). The first
  // byte settles almost every operator.
  if (!op.empty() && (op[0] == '~' || op[0] == '!') &&
      (op == "~" || op == "~*" || op == "!~" || op == "!~*")) {
    GuardRegexOperand(expr);
  }
}

// The pattern of a regular-expression match operator (~ ~* !~ !~*).
void TreeWalker::GuardRegexOperand(const A_Expr* expr) {
  const Node* pattern = expr->rexpr;
  if (pattern != nullptr && nodeTag(pattern) == T_A_ArrayExpr) {
    const List* elements = reinterpret_cast<const A_ArrayExpr*>(pattern)->elements;
    for (int i = 0; IsPointerList(elements) && i < ListLength(elements); ++i) {
      GuardRegexLiteral(ListItem(elements, i), expr->location);
    }
  } else {
    GuardRegexLiteral(pattern, expr->location);
  }
}

namespace {

bool ListHoldsString(const List* list, std::string_view name) {
  for (int i = 0; IsPointerList(list) && i < ListLength(list); ++i) {
    if (auto s = StringValue(ListItem(list, i)); s && *s == name) return true;
  }
  return false;
}

bool ColumnDefListNames(const List* coldefs, std::string_view name) {
  for (int i = 0; IsPointerList(coldefs) && i < ListLength(coldefs); ++i) {
    const Node* item = ListItem(coldefs, i);
    if (item != nullptr && nodeTag(item) == T_ColumnDef) {
      const char* column = reinterpret_cast<const ColumnDef*>(item)->colname;
      if (column != nullptr && name == column) return true;
    }
  }
  return false;
}

// Does the FROM function declare a column `name` (AS t(name, ...), AS t(name
// type, ...), ROWS FROM (f() AS (name type)))? The server resolves x.name to
// a column before it tries name(x), so such a name is never a call.
bool DeclaresColumn(const RangeFunction* rf, std::string_view name) {
  if (rf->alias != nullptr && nodeTag(rf->alias) == T_Alias && ListHoldsString(rf->alias->colnames, name)) {
    return true;
  }
  if (ColumnDefListNames(rf->coldeflist, name)) return true;
  for (int i = 0; IsPointerList(rf->functions) && i < ListLength(rf->functions); ++i) {
    const Node* pair = ListItem(rf->functions, i);  // (call, column definitions)
    if (pair != nullptr && nodeTag(pair) == T_List && ListLength(reinterpret_cast<const List*>(pair)) == 2) {
      const Node* coldefs = ListItem(reinterpret_cast<const List*>(pair), 1);
      if (coldefs != nullptr && nodeTag(coldefs) == T_List &&
          ColumnDefListNames(reinterpret_cast<const List*>(coldefs), name)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void TreeWalker::CheckAttribute(const Node* name_node, int location, CompiledPolicy::AttributeArgument argument,
                                const RangeFunction* function_row) {
  // Column names are almost never names the policy could refuse: settled
  // from the first bytes, without strlen or a table probe.
  if (const char* raw = StringChars(name_node); raw != nullptr && !policy_.AttributeMayBeRefused(raw)) return;
  auto name = StringValue(name_node);
  if (!name) return;  // A_Star, subscripts
  if (auto refusal = policy_.CheckAttributeName(*name, argument)) {
    if (function_row != nullptr && DeclaresColumn(function_row, *name)) return;
    Report("function-not-allowed", std::move(refusal->message), location);
  }
}

void TreeWalker::CheckRelation(const RangeVar* rv) {
  if (rv->relname == nullptr) return;
  // The default policy allows every unqualified relation outside pg_catalog.
  const bool unqualified = rv->schemaname == nullptr || rv->schemaname[0] == '\0';
  const char* r = rv->relname;
  if (unqualified && policy_.AllowsUnqualifiedRelations() && !(r[0] == 'p' && r[1] == 'g' && r[2] == '_')) return;
  const std::string_view name(rv->relname);
  const std::string_view schema = rv->schemaname != nullptr ? std::string_view(rv->schemaname) : std::string_view();
  if (schema.empty() && IsCteInScope(name)) return;
  if (auto refusal = policy_.CheckRelation(schema, name)) {
    Report("relation-not-allowed", std::move(refusal->message) + "; query only the tables the policy allows",
           rv->location);
  }
}

void TreeWalker::CheckTableSample(const RangeTableSample* sample) {
  auto parts = NameParts(sample->method);
  static constexpr std::string_view kMethods[] = {"bernoulli", "system", "system_rows", "system_time"};
  if (parts && (parts->schema.empty() || parts->schema == "pg_catalog")) {
    for (std::string_view m : kMethods) {
      if (parts->name == m) return;
    }
  }
  Report("function-not-allowed",
         "TABLESAMPLE method " + std::string(parts ? parts->name : "?") +
             " is not allowed; use BERNOULLI or SYSTEM",
         sample->location);
}

}  // namespace pgsieve::internal
