#include "check.h"

#include <algorithm>
#include <string>

#include "limit_rewriter.h"
#include "pgsieve/fingerprints.h"
#include "node_access.h"
#include "raw_parse.h"
#include "self_check.h"
#include "string_literals.h"
#include "text_position.h"

namespace pgsieve::internal {
namespace {

Verdict Reject(std::string_view text, Findings& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
  Verdict v;
  v.decision = Decision::kReject;
  v.violations.reserve(findings.size());
  for (Finding& f : findings) {
    const size_t offset = std::min(static_cast<size_t>(std::max(f.offset, 0)), text.size());
    const LineColumn lc = LineColumnOf(text, offset);
    v.violations.push_back(Violation{std::string(f.code), std::move(f.message), static_cast<int>(offset), lc.line,
                                     lc.column, FragmentAt(text, offset)});
  }
  return v;
}

Verdict RejectOne(std::string_view text, std::string_view code, std::string message, int offset) {
  Findings f;
  f.push_back(Finding{code, std::move(message), offset});
  return Reject(text, f);
}

// Everything up to the verdict on the text as given; `plan_out` and
// `statement_out` describe the LIMIT rewrite when the statement is allowed.
struct Walked {
  bool allowed = false;
  Verdict rejection;
  std::string rewritten;
  int64_t effective_cap = 0;
  LimitAction action = LimitAction::kKeep;
  std::string statement;  // the statement's own text (for the wrap fallback)
};

Walked Walk(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer) {
  const Policy& policy = cp.policy();
  Walked out;
  if (static_cast<int64_t>(sql.size()) > policy.max_statement_bytes) {
    out.rejection = RejectOne(sql, "too-large",
                              "statement is " + std::to_string(sql.size()) + " bytes, more than max_statement_bytes (" +
                                  std::to_string(policy.max_statement_bytes) + "); send a shorter statement",
                              static_cast<int>(policy.max_statement_bytes));
    return out;
  }
  if (const size_t bad = FindInvalidUtf8OrNul(sql); bad != std::string_view::npos) {
    out.rejection = RejectOne(sql, "invalid-encoding",
                              sql[bad] == '\0' ? "statement contains a NUL byte; remove it"
                                               : "statement is not valid UTF-8 at this byte; send UTF-8 text",
                              static_cast<int>(bad));
    return out;
  }
  if (const std::string& failure = SelfCheckFailure(); !failure.empty()) {
    out.rejection = RejectOne(sql, "internal-error",
                              "pgsieve's start-up self-check failed (" + failure +
                                  "); the parser and the node headers disagree, so nothing is allowed",
                              0);
    return out;
  }
  const std::string owned(sql);  // the parser needs a NUL-terminated string
  RawParse parse(owned.c_str());
  if (!parse.ok()) {
    out.rejection = RejectOne(sql, "parse-error",
                              parse.error_message() + " (PostgreSQL 15 parser); fix the SQL syntax",
                              CharCursorToByteOffset(sql, parse.error_cursor()));
    return out;
  }
  const List* stmts = parse.statements();
  const int count = ListLength(stmts);
  Findings findings;
  if (count == 0) {
    out.rejection = RejectOne(sql, "empty-statement", "no statement found (empty, white space or comments only); send one SELECT", 0);
    return out;
  }
  for (int i = 0; i < count; ++i) {
    const Node* item = ListItem(stmts, i);
    if (item == nullptr || nodeTag(item) != T_RawStmt) {
      findings.push_back(Finding{"internal-error", "unexpected top-level parse node; not allowed", 0});
      continue;
    }
    const auto* raw = reinterpret_cast<const RawStmt*>(item);
    if (i == 1) {
      findings.push_back(Finding{"multiple-statements",
                                 std::to_string(count) + " statements found; send exactly one statement per check",
                                 raw->stmt_location});
    }
    TreeWalker walker(cp, sql, findings, observer);
    walker.WalkStatement(raw);
  }
  if (!policy.standard_conforming_strings && sql.find('\\') != std::string_view::npos) {
    FindAmbiguousStringLiterals(owned, findings);
  }
  if (!findings.empty()) {
    out.rejection = Reject(sql, findings);
    return out;
  }
  const auto* raw = reinterpret_cast<const RawStmt*>(ListItem(stmts, 0));
  const std::string_view statement = StatementText(raw, sql);
  const LimitPlan plan = PlanLimit(raw, statement, raw->stmt_location, policy.max_rows);
  out.allowed = true;
  out.action = plan.action;
  out.effective_cap = plan.effective_cap;
  out.statement = std::string(statement);
  out.rewritten = ApplyLimitPlan(statement, plan, policy.max_rows);
  return out;
}

// Is `candidate` allowed as it stands, with the expected cap? (It must be a
// fixed point: checking it again changes nothing.)
bool Revalidates(const CompiledPolicy& cp, const std::string& candidate, int64_t cap) {
  Walked again = Walk(cp, candidate, nullptr);
  return again.allowed && again.rewritten == candidate && again.effective_cap == cap;
}

// The verdict under mode = "enforce" (learn mode too: it only adds the fingerprint).
Verdict Enforce(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer) {
  Walked first = Walk(cp, sql, observer);
  if (!first.allowed) return std::move(first.rejection);

  Verdict v;
  v.decision = Decision::kAllow;
  v.max_rows = first.effective_cap;
  const Policy& policy = cp.policy();
  if (policy.mode == Mode::kLearn || policy.fingerprints == FingerprintPolicy::kRequire) {
    v.fingerprint = Fingerprint(first.statement);
  }
  if (const FingerprintSet* required = cp.required_fingerprints();
      required != nullptr && !required->Contains(v.fingerprint)) {
    Verdict r = RejectOne(sql, "fingerprint-not-allowed",
                          "the statement's shape (fingerprint " + v.fingerprint +
                              ") is not on the learned allow-list (fingerprint_file); use a known query shape",
                          0);
    r.fingerprint = v.fingerprint;
    return r;
  }
  if (first.rewritten == sql) {
    // Exactly the text that was validated: nothing to check again.
    v.sql = std::move(first.rewritten);
    return v;
  }
  // Every statement pgsieve returns fits max_statement_bytes, so it is
  // accepted again as it stands (idempotence) by the same policy.
  const auto fits = [&](const std::string& text) {
    return static_cast<int64_t>(text.size()) <= policy.max_statement_bytes;
  };
  if (!fits(first.rewritten)) {
    return RejectOne(sql, "too-large",
                     "the statement with the LIMIT pgsieve adds would exceed max_statement_bytes (" +
                         std::to_string(policy.max_statement_bytes) + "); send a shorter statement",
                     0);
  }
  // What was validated is what runs: the text returned is parsed and walked
  // again. A splice that does not come back as a fixed point falls back to
  // the wrapped form; if even that fails, nothing is allowed.
  if (Revalidates(cp, first.rewritten, first.effective_cap)) {
    v.sql = std::move(first.rewritten);
  } else if (first.action != LimitAction::kKeep && first.action != LimitAction::kWrap &&
             Revalidates(cp, WrapWithLimit(first.statement, cp.policy().max_rows), cp.policy().max_rows)) {
    v.sql = WrapWithLimit(first.statement, cp.policy().max_rows);
    v.max_rows = cp.policy().max_rows;
  } else {
    return RejectOne(sql, "internal-error",
                     "the capped statement pgsieve built did not validate again; not allowed (please report this "
                     "statement)",
                     0);
  }
  v.rewritten = true;
  return v;
}

}  // namespace

Verdict CheckStatement(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer) {
  Verdict v = Enforce(cp, sql, observer);
  if (cp.policy().mode == Mode::kDetect && !v.allowed()) {
    // Detect mode never blocks: the statement runs as given, and the
    // violations say what enforce mode would have done.
    v.decision = Decision::kAllow;
    v.would_reject = true;
    v.sql = std::string(sql);
    v.max_rows = cp.policy().max_rows;
  }
  return v;
}

}  // namespace pgsieve::internal
