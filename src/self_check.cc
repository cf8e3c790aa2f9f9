#include "self_check.h"

#include <string_view>

#include "node_access.h"
#include "raw_parse.h"

namespace pgsieve::internal {
namespace {

// Collects the first disagreement.
class Probe {
 public:
  bool Expect(bool condition, std::string_view what) {
    if (!condition && failure_.empty()) failure_ = std::string(what);
    return condition;
  }
  const std::string& failure() const { return failure_; }

 private:
  std::string failure_;
};

// The single statement of `sql`, or null (recorded as a failure).
const Node* ParseOne(Probe& probe, const RawParse& parse, std::string_view sql) {
  const List* stmts = parse.statements();
  if (!probe.Expect(parse.ok() && ListLength(stmts) == 1, std::string("cannot parse probe: ") + std::string(sql))) {
    return nullptr;
  }
  const Node* raw = ListItem(stmts, 0);
  if (!probe.Expect(raw != nullptr && nodeTag(raw) == T_RawStmt, "top-level node is not T_RawStmt")) return nullptr;
  return reinterpret_cast<const RawStmt*>(raw)->stmt;
}

const Node* First(const List* list) { return ListLength(list) > 0 ? ListItem(list, 0) : nullptr; }

bool Is(const Node* n, NodeTag tag) { return n != nullptr && nodeTag(n) == tag; }

std::string Run() {
  Probe p;
  {
    RawParse parse("SELECT 1");
    const Node* s = ParseOne(p, parse, "SELECT 1");
    if (p.Expect(Is(s, T_SelectStmt), "SELECT is not T_SelectStmt")) {
      const auto* sel = reinterpret_cast<const SelectStmt*>(s);
      p.Expect(static_cast<int>(sel->limitOption) == kLimitOptionDefault, "LimitOption DEFAULT value differs");
      p.Expect(sel->op == SETOP_NONE, "SetOperation NONE value differs");
      const Node* target = First(sel->targetList);
      if (p.Expect(Is(target, T_ResTarget), "target is not T_ResTarget")) {
        const auto* rt = reinterpret_cast<const ResTarget*>(target);
        p.Expect(rt->location == 7, "ResTarget.location differs");
        p.Expect(Is(rt->val, T_A_Const), "constant is not T_A_Const");
        auto v = NumericConstant(rt->val);
        p.Expect(v && *v == 1, "A_Const integer value differs");
      }
    }
  }
  {
    RawParse parse("SELECT a FROM s.t LIMIT 2");
    const Node* s = ParseOne(p, parse, "SELECT a FROM s.t LIMIT 2");
    if (p.Expect(Is(s, T_SelectStmt), "SELECT is not T_SelectStmt")) {
      const auto* sel = reinterpret_cast<const SelectStmt*>(s);
      p.Expect(static_cast<int>(sel->limitOption) == kLimitOptionCount, "LimitOption COUNT value differs");
      auto v = NumericConstant(sel->limitCount);
      p.Expect(v && *v == 2, "SelectStmt.limitCount differs");
      const Node* from = First(sel->fromClause);
      if (p.Expect(Is(from, T_RangeVar), "FROM item is not T_RangeVar")) {
        const auto* rv = reinterpret_cast<const RangeVar*>(from);
        p.Expect(rv->schemaname != nullptr && std::string_view(rv->schemaname) == "s" && rv->relname != nullptr &&
                     std::string_view(rv->relname) == "t" && rv->location == 14,
                 "RangeVar fields differ");
      }
      const Node* target = First(sel->targetList);
      p.Expect(Is(target, T_ResTarget) && Is(reinterpret_cast<const ResTarget*>(target)->val, T_ColumnRef),
               "column is not T_ColumnRef");
    }
  }
  {
    RawParse parse("SELECT 1 FROM t ORDER BY 1 FETCH FIRST 2 ROWS WITH TIES");
    const Node* s = ParseOne(p, parse, "FETCH FIRST ... WITH TIES");
    p.Expect(Is(s, T_SelectStmt) &&
                 static_cast<int>(reinterpret_cast<const SelectStmt*>(s)->limitOption) == kLimitOptionWithTies,
             "LimitOption WITH_TIES value differs");
  }
  {
    RawParse parse("SELECT pg_catalog.f(x) OVER () FROM t");
    const Node* s = ParseOne(p, parse, "window call");
    if (Is(s, T_SelectStmt)) {
      const Node* target = First(reinterpret_cast<const SelectStmt*>(s)->targetList);
      const Node* call = Is(target, T_ResTarget) ? reinterpret_cast<const ResTarget*>(target)->val : nullptr;
      if (p.Expect(Is(call, T_FuncCall), "call is not T_FuncCall")) {
        const auto* fc = reinterpret_cast<const FuncCall*>(call);
        auto parts = NameParts(fc->funcname);
        p.Expect(parts && parts->schema == "pg_catalog" && parts->name == "f", "FuncCall.funcname differs");
        p.Expect(fc->over != nullptr && nodeTag(fc->over) == T_WindowDef, "FuncCall.over differs");
        p.Expect(fc->location == 7, "FuncCall.location differs");
      }
    }
  }
  {
    RawParse parse("WITH a AS (DELETE FROM t) SELECT 1 INTO x FOR UPDATE");
    const Node* s = ParseOne(p, parse, "WITH ... DELETE ... INTO ... FOR UPDATE");
    if (p.Expect(Is(s, T_SelectStmt), "SELECT is not T_SelectStmt")) {
      const auto* sel = reinterpret_cast<const SelectStmt*>(s);
      p.Expect(sel->intoClause != nullptr && nodeTag(sel->intoClause) == T_IntoClause, "SelectStmt.intoClause differs");
      p.Expect(Is(First(sel->lockingClause), T_LockingClause), "SelectStmt.lockingClause differs");
      if (p.Expect(sel->withClause != nullptr && nodeTag(sel->withClause) == T_WithClause, "withClause differs")) {
        const Node* cte = First(sel->withClause->ctes);
        p.Expect(Is(cte, T_CommonTableExpr) && Is(reinterpret_cast<const CommonTableExpr*>(cte)->ctequery, T_DeleteStmt),
                 "CommonTableExpr.ctequery differs");
      }
    }
  }
  {
    RawParse parse("SELECT 1 NOT BETWEEN SYMMETRIC 0 AND 2");
    const Node* s = ParseOne(p, parse, "BETWEEN");
    if (Is(s, T_SelectStmt)) {
      const Node* target = First(reinterpret_cast<const SelectStmt*>(s)->targetList);
      const Node* expr = Is(target, T_ResTarget) ? reinterpret_cast<const ResTarget*>(target)->val : nullptr;
      p.Expect(Is(expr, T_A_Expr) && reinterpret_cast<const A_Expr*>(expr)->kind == AEXPR_NOT_BETWEEN_SYM,
               "A_Expr_Kind values differ");
    }
  }
  {
    RawParse parse("INSERT INTO t VALUES (1)");
    p.Expect(Is(ParseOne(p, parse, "INSERT"), T_InsertStmt), "INSERT is not T_InsertStmt");
  }
  {
    RawParse parse("EXPLAIN (ANALYZE) SELECT 1");
    const Node* s = ParseOne(p, parse, "EXPLAIN");
    if (p.Expect(Is(s, T_ExplainStmt), "EXPLAIN is not T_ExplainStmt")) {
      const Node* opt = First(reinterpret_cast<const ExplainStmt*>(s)->options);
      p.Expect(Is(opt, T_DefElem) && reinterpret_cast<const DefElem*>(opt)->defname != nullptr &&
                   std::string_view(reinterpret_cast<const DefElem*>(opt)->defname) == "analyze",
               "ExplainStmt.options differs");
    }
  }
  {
    RawParse parse("SELECT * FROM ROWS FROM (f(1)) g, LATERAL (SELECT 1) s");
    const Node* s = ParseOne(p, parse, "ROWS FROM");
    if (Is(s, T_SelectStmt)) {
      const List* from = reinterpret_cast<const SelectStmt*>(s)->fromClause;
      p.Expect(ListLength(from) == 2 && Is(ListItem(from, 0), T_RangeFunction) && Is(ListItem(from, 1), T_RangeSubselect),
               "FROM function / subquery kinds differ");
      if (ListLength(from) == 2 && Is(ListItem(from, 0), T_RangeFunction)) {
        const Node* first = First(reinterpret_cast<const RangeFunction*>(ListItem(from, 0))->functions);
        p.Expect(Is(first, T_List), "RangeFunction.functions is not a list of lists");
      }
    }
  }
  {
    // parser_call.c reads libpg_query's thread-local error state itself, and
    // RawParse reads ErrorData through the server header: both must give what
    // pg_query_raw_parse gives for the same syntax error, on a nested call too.
    constexpr const char* kBad = "SELECT 1 FROM t WHERE (a = 1";
    RawParse outer("SELECT 1");
    RawParse parse(kBad);
    MemoryContext ctx = pg_query_enter_memory_context();
    PgQueryInternalParsetreeAndError ref = pg_query_raw_parse(kBad);
    if (p.Expect(!parse.ok() && ref.error != nullptr, "syntax error not raised by both parser entries")) {
      p.Expect(parse.error_message() == (ref.error->message != nullptr ? ref.error->message : "") &&
                   parse.error_cursor() == ref.error->cursorpos && parse.error_cursor() > 0,
               "parser_call's ErrorData differs from pg_query_raw_parse's");
    }
    if (ref.error != nullptr) pg_query_free_error(ref.error);
    free(ref.stderr_buffer);
    pg_query_exit_memory_context(ctx);
    p.Expect(outer.ok() && ListLength(outer.statements()) == 1, "outer parse damaged by a nested one");
  }
  return p.failure();
}

}  // namespace

const std::string& SelfCheckFailure() {
  static const std::string failure = Run();
  return failure;
}

}  // namespace pgsieve::internal
