// TreeWalker: the fail-closed walk over one statement's raw parse tree.
//
// Structure comes from generated code (walk_tables.inc, from pg_query.proto
// and grammar/nodes.allow): for every allowed node kind, every Node-typed
// field is visited, lists of lists included. A node whose kind is not allowed
// is reported and never entered. On top of that walk sit the semantic checks:
// statements, functions (every call form), operators, relations (with lexical
// CTE scoping), EXPLAIN options and the static resource guards.
//
// Recursion is bounded by the policy's max_depth (at most 10000 frames of a
// few hundred bytes). A walker is used for one statement by one thread.
#ifndef PGSIEVE_SRC_TREE_WALKER_H_
#define PGSIEVE_SRC_TREE_WALKER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiled_policy.h"
#include "finding.h"
#include "pg_nodes.h"

namespace pgsieve::internal {

// Sees every node the walker reads the tag of; for tests (the conformance
// check against libpg_query's JSON output). `location` is -1 for kinds
// without one and for kinds that were not entered.
class NodeObserver {
 public:
  virtual ~NodeObserver() = default;
  virtual void OnNode(NodeTag tag, int location, bool entered) = 0;
};

// A finding reported without a location, to be given the nearest location
// at or above `node` once the walk is over.
struct PendingLocation {
  size_t finding;     // index in the findings
  const void* node;   // null: the statement itself
  bool self;          // may the node's own location be used?
  int location = -1;
};

class TreeWalker {
 public:
  TreeWalker(const CompiledPolicy& policy, std::string_view text, Findings& findings,
             NodeObserver* observer = nullptr);

  // Walks one top-level statement (the RawStmt and everything below it).
  void WalkStatement(const RawStmt* stmt);

  // The generated VisitChildren calls these.
  void Child(const Node* node);
  void Items(const List* list);
  void InlineValue(const Node* value);

  // Hooks, by kind (VisitChildren calls them before the node's children; the
  // returned guard's destructor runs after them). Each kind here must also
  // be in kWalkInfo's hooked list in tree_walker.cc.
  class Leaving;
  Leaving Enter(const SelectStmt* select);
  Leaving Enter(const WithClause* with);
  Leaving Enter(const CommonTableExpr* cte);
  NoLeave Enter(const ExplainStmt* explain) { return Checked(explain, &TreeWalker::CheckExplain); }
  NoLeave Enter(const FuncCall* call) { return Checked(call, &TreeWalker::CheckFuncCall); }
  NoLeave Enter(const A_Expr* expr) { return Checked(expr, &TreeWalker::CheckOperator); }
  NoLeave Enter(const SortBy* sort) { return Checked(sort, &TreeWalker::CheckSortOperator); }
  NoLeave Enter(const SubLink* link) { return Checked(link, &TreeWalker::CheckSubLinkOperator); }
  NoLeave Enter(const ColumnRef* ref) { return Checked(ref, &TreeWalker::CheckColumnRef); }
  NoLeave Enter(const A_Indirection* indirection) { return Checked(indirection, &TreeWalker::CheckIndirection); }
  NoLeave Enter(const RangeVar* relation) { return Checked(relation, &TreeWalker::CheckRelation); }
  NoLeave Enter(const RangeTableSample* sample) { return Checked(sample, &TreeWalker::CheckTableSample); }
  NoLeave Enter(const TypeName* type) { return Checked(type, &TreeWalker::CheckType); }

  // Runs a scope hook (if any) when the node's children are done.
  class Leaving {
   public:
    using Hook = void (TreeWalker::*)(const Node* node, size_t mark);
    Leaving(TreeWalker* walker, Hook hook, const void* node, size_t mark)
        : walker_(walker), hook_(hook), node_(static_cast<const Node*>(node)), mark_(mark) {}
    Leaving(const Leaving&) = delete;
    Leaving& operator=(const Leaving&) = delete;
    ~Leaving() {
      if (hook_ != nullptr) (walker_->*hook_)(node_, mark_);
    }

   private:
    TreeWalker* walker_;
    Hook hook_;
    const Node* node_;
    size_t mark_;
  };

 private:
  struct CteScope {
    const List* ctes;
    int visible;  // CTEs [0, visible) are in scope
    bool recursive;
  };

  void Visit(const Node* node);
  void VisitNode(const Node* node, NodeTag tag, uint8_t flags);
  bool SettledInline(const Node* node, unsigned tag) const;
  void ReportTooDeep(const Node* node);
  void RefuseKind(const Node* node, NodeTag tag);
  // A check hook: reports without a location are located at or above `node`.
  template <typename Kind>
  NoLeave Checked(const Kind* node, void (TreeWalker::*check)(const Kind*)) {
    At(node);
    (this->*check)(node);
    return {};
  }
  void At(const void* node);
  void LeaveSelect(const Node* node, size_t alias_mark);
  void LeaveWith(const Node* node, size_t unused);
  void LeaveCte(const Node* node, size_t unused);
  void CheckSortOperator(const SortBy* sort);
  void CheckSubLinkOperator(const SubLink* link);
  std::string_view CheckOperatorName(const List* name, int location);
  void CheckColumnRef(const ColumnRef* ref);
  void CheckIndirection(const A_Indirection* indirection);
  void CheckType(const TypeName* type);
  void ReportNotAllowed(const Node* node, NodeTag tag);
  void Report(std::string_view code, std::string message, int location);

  void CheckTopLevel(const RawStmt* stmt);
  void CheckExplain(const ExplainStmt* explain);
  void CheckFuncCall(const FuncCall* call);
  void CheckOperator(const A_Expr* expr);
  void GuardRegexOperand(const A_Expr* expr);
  // `function_row` (may be null): the FROM function x names in x.name, whose
  // declared columns are columns, not calls.
  void CheckAttribute(const Node* name_node, int location, CompiledPolicy::AttributeArgument argument,
                      const RangeFunction* function_row = nullptr);
  void PushFunctionAliases(const SelectStmt* select);
  // `with_rows`: also push the other FROM items' names, as rows.
  void AddFunctionAliases(const Node* from_item, int budget, bool with_rows);
  struct FunctionRow;
  // The innermost entry a qualifier may name (null: none).
  const FunctionRow* FunctionRowNamed(std::string_view name) const;
  void CheckRelation(const RangeVar* rv);
  void CheckTableSample(const RangeTableSample* sample);
  void CheckRecursiveCtes(const WithClause* with);
  bool IsCteInScope(std::string_view name) const;

  // Static resource guards (resource_guards.cc).
  void GuardGenerateSeries(const FuncCall* call);
  void GuardStringBuilder(const FuncCall* call, std::string_view name);
  void GuardRegexLiteral(const Node* pattern, int location);

  const CompiledPolicy& policy_;
  std::string_view text_;
  Findings& findings_;
  NodeObserver* observer_;
  const int max_depth_;
  int depth_limit_;  // max_depth_, or -1 once the walk went too deep
  int depth_ = 0;
  bool too_deep_ = false;
  // The node a report without a location refers to, and whether that node's
  // own location counts (it does for a node being checked, not for a refused
  // one). Such reports are located after the walk (NearestLocations).
  const Node* report_node_ = nullptr;
  bool report_self_ = true;
  std::vector<PendingLocation> pending_;
  const Node* cte_body_ = nullptr;
  std::vector<CteScope> scopes_;
  // The FROM functions visible from the current query, by the name a
  // qualifier uses for them (their alias, or the function's name): f.name
  // there may pass a scalar to name(). kAnyQualifier (compared by address)
  // stands for an unaliased item whose name the walker does not predict;
  // under an outer function, the other FROM items are here too, as rows
  // (item null), so that they hide it. Visit truncates the list when it
  // leaves the SELECT that added to it.
  struct FunctionRow {
    std::string_view name;
    const RangeFunction* item;
  };
  std::vector<FunctionRow> function_aliases_;
  static constexpr std::string_view kAnyQualifier = "(any qualifier)";
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_TREE_WALKER_H_
