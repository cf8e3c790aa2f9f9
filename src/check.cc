#include "check.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
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

// Rejections are off the hot path: kept out of line (and in .text.unlikely)
// so the code of an allowed check stays small in the instruction cache,
// which the parser needs too.
[[gnu::cold, gnu::noinline]] Verdict Reject(std::string_view text, Findings& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
  Verdict v;
  v.decision = Decision::kReject;
  v.violations.reserve(findings.size());
  size_t at = 0;  // findings are sorted: one forward pass places them all
  LineColumn lc;
  for (Finding& f : findings) {
    const size_t offset = std::min(static_cast<size_t>(std::max(f.offset, 0)), text.size());
    lc = AdvanceLineColumn(text, at, lc, offset);
    at = offset;
    v.violations.push_back(Violation{std::string(f.code), std::move(f.message), static_cast<int>(offset), lc.line,
                                     lc.column, FragmentAt(text, offset)});
  }
  return v;
}

[[gnu::cold, gnu::noinline]] Verdict RejectOne(std::string_view text, std::string_view code, std::string message,
                                               int offset) {
  Findings f;
  f.push_back(Finding{code, std::move(message), offset});
  return Reject(text, f);
}

[[gnu::cold, gnu::noinline]] Verdict RejectTooLarge(std::string_view sql, int64_t cap) {
  // Point at the first character past the cap, not into the middle of one.
  size_t at = static_cast<size_t>(cap);
  while (at > 0 && (static_cast<unsigned char>(sql[at]) & 0xC0) == 0x80) --at;
  return RejectOne(sql, "too-large",
                   "statement is " + std::to_string(sql.size()) + " bytes, more than max_statement_bytes (" +
                       std::to_string(cap) + "); send a shorter statement",
                   static_cast<int>(at));
}

[[gnu::cold, gnu::noinline]] Verdict RejectInvalidEncoding(std::string_view sql, size_t bad) {
  return RejectOne(sql, "invalid-encoding",
                   sql[bad] == '\0' ? "statement contains a NUL byte; remove it"
                                    : "statement is not valid UTF-8 at this byte; send UTF-8 text",
                   static_cast<int>(bad));
}

[[gnu::cold, gnu::noinline]] Verdict RejectSelfCheckFailed(std::string_view sql, const std::string& failure) {
  return RejectOne(sql, "internal-error",
                   "pgsieve's start-up self-check failed (" + failure +
                       "); the parser and the node headers disagree, so nothing is allowed",
                   0);
}

[[gnu::cold, gnu::noinline]] Verdict RejectParseError(std::string_view sql, const RawParse& parse) {
  return RejectOne(sql, "parse-error", parse.error_message() + " (PostgreSQL 15 parser); fix the SQL syntax",
                   CharCursorToByteOffset(sql, parse.error_cursor()));
}

[[gnu::cold, gnu::noinline]] void AddFinding(Findings& findings, std::string_view code, std::string message,
                                             int offset) {
  findings.push_back(Finding{code, std::move(message), offset});
}

// Everything up to the verdict on the text as given, and the LIMIT rewrite
// when the statement is allowed.
struct Walked {
  bool allowed = false;
  std::optional<Verdict> rejection;  // set when not allowed (a Verdict is large to build)
  // When allowed: true if the walked text is returned as it stands (then
  // `rewritten` is left empty: no copy on the common path), else the text to
  // return.
  bool unchanged = false;
  std::string rewritten;
  int64_t effective_cap = 0;
  LimitAction action = LimitAction::kKeep;
  std::string_view statement;  // the statement's own text, within the walked text
  // Set when the text is one SELECT whose own LIMIT is the constant max_rows
  // starting at the byte the caller expected (see TrySpeculativeAppend).
  bool limit_at_expected_location = false;
};

// Is the single statement a SELECT whose top-level LIMIT is `max_rows`,
// written at byte `location`?
bool TopLevelLimitIs(const List* stmts, int location, int64_t max_rows) {
  if (ListLength(stmts) != 1 || nodeTag(ListItem(stmts, 0)) != T_RawStmt) return false;
  const Node* stmt = reinterpret_cast<const RawStmt*>(ListItem(stmts, 0))->stmt;
  if (stmt == nullptr || nodeTag(stmt) != T_SelectStmt) return false;
  const auto* select = reinterpret_cast<const SelectStmt*>(stmt);
  if (static_cast<int>(select->limitOption) != kLimitOptionCount || select->limitCount == nullptr ||
      nodeTag(select->limitCount) != T_A_Const) {
    return false;
  }
  auto value = NumericConstant(select->limitCount);
  return reinterpret_cast<const A_Const*>(select->limitCount)->location == location && value &&
         *value == static_cast<long double>(max_rows);
}

// `nul_terminated` (may be null: then a copy is made) is `sql` as a C string;
// `facts` (may be null: then the text is scanned) is ScanText(sql).
Walked Walk(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer,
            const std::string* nul_terminated = nullptr, const TextFacts* facts = nullptr,
            int expected_limit_location = -1) {
  const Policy& policy = cp.policy();
  Walked out;
  if (static_cast<int64_t>(sql.size()) > policy.max_statement_bytes) {
    out.rejection = RejectTooLarge(sql, policy.max_statement_bytes);
    return out;
  }
  const TextFacts scanned = facts != nullptr ? TextFacts{} : ScanText(sql);
  if (facts == nullptr) facts = &scanned;
  if (const size_t bad = facts->invalid_at; bad != std::string_view::npos) {
    out.rejection = RejectInvalidEncoding(sql, bad);
    return out;
  }
  if (const std::string& failure = SelfCheckFailure(); !failure.empty()) {
    out.rejection = RejectSelfCheckFailed(sql, failure);
    return out;
  }
  // The parser needs a NUL-terminated string: a stack buffer for the usual
  // short statement, a heap copy for long ones.
  char stack_copy[1024];
  std::string heap_copy;
  const char* c_text;
  if (nul_terminated != nullptr) {
    c_text = nul_terminated->c_str();
  } else if (sql.size() < sizeof(stack_copy)) {
    std::memcpy(stack_copy, sql.data(), sql.size());
    stack_copy[sql.size()] = '\0';
    c_text = stack_copy;
  } else {
    heap_copy.assign(sql);
    c_text = heap_copy.c_str();
  }
  RawParse parse(c_text);
  if (!parse.ok()) {
    out.rejection = RejectParseError(sql, parse);
    return out;
  }
  const List* stmts = parse.statements();
  const int count = ListLength(stmts);
  Findings findings;
  if (count == 0) {
    out.rejection = RejectOne(sql, "empty-statement",
                              "no statement found (empty, white space or comments only); send one SELECT", 0);
    return out;
  }
  for (int i = 0; i < count; ++i) {
    const Node* item = ListItem(stmts, i);
    if (item == nullptr || nodeTag(item) != T_RawStmt) [[unlikely]] {
      AddFinding(findings, "internal-error", "unexpected top-level parse node; not allowed", 0);
      continue;
    }
    const auto* raw = reinterpret_cast<const RawStmt*>(item);
    if (i == 1) [[unlikely]] {
      AddFinding(findings, "multiple-statements",
                 std::to_string(count) + " statements found; send exactly one statement per check", raw->stmt_location);
    }
    TreeWalker walker(cp, sql, findings, observer);
    walker.WalkStatement(raw);
  }
  if (!policy.standard_conforming_strings && facts->backslash) {
    FindAmbiguousStringLiterals(std::string_view(c_text, sql.size()), findings);
  }
  if (expected_limit_location >= 0) {
    out.limit_at_expected_location = TopLevelLimitIs(stmts, expected_limit_location, policy.max_rows);
  }
  if (!findings.empty()) {
    out.rejection = Reject(sql, findings);
    return out;
  }
  const auto* raw = reinterpret_cast<const RawStmt*>(ListItem(stmts, 0));
  const std::string_view statement = StatementText(raw, sql);
  // A top-level LIMIT of exactly max_rows where the caller put it is kept
  // as it is (what PlanLimit would say, without reading the tree again).
  LimitPlan plan;
  plan.effective_cap = policy.max_rows;
  if (!out.limit_at_expected_location) plan = PlanLimit(raw, statement, raw->stmt_location, policy.max_rows);
  out.allowed = true;
  out.action = plan.action;
  out.effective_cap = plan.effective_cap;
  out.statement = statement;
  out.unchanged = plan.action == LimitAction::kKeep && statement.size() == sql.size();
  if (!out.unchanged) out.rewritten = ApplyLimitPlan(statement, plan, policy.max_rows);
  return out;
}

// The rejection of a walk that did not allow (every such walk sets one;
// fail closed if that ever changed).
Verdict TakeRejection(Walked& walked, std::string_view sql) {
  if (walked.rejection) return std::move(*walked.rejection);
  return RejectOne(sql, "internal-error", "the statement was neither allowed nor rejected; not allowed", 0);
}

// Is `candidate` allowed as it stands, with the expected cap? (It must be a
// fixed point: checking it again changes nothing.)
bool Revalidates(const CompiledPolicy& cp, const std::string& candidate, int64_t cap) {
  Walked again = Walk(cp, candidate, nullptr);
  return again.allowed && again.unchanged && again.effective_cap == cap;
}

// The common case, one parse instead of two: a statement with no LIMIT gets
// " LIMIT n" appended before it is parsed, and that text is what is walked
// and returned, so what was validated is what runs. The candidate is used
// only if the parser put the appended LIMIT at the top level of a single
// SELECT, which it can only do when the text before it is a complete SELECT
// without a LIMIT of its own (LIMIT is a reserved word that no other clause
// can absorb). The words "limit" and "fetch" near the end of the text only
// choose the strategy: texts holding them there take the ordinary path.
//
// The candidate text for the one-parse path (none when the text must take
// the ordinary path) and the byte where its appended LIMIT count starts.
struct Candidate {
  std::string* text = nullptr;  // the verdict's own `sql`, reused; null: no candidate
  int limit_location = -1;
  size_t base_size = 0;  // the input's own bytes at the start of `*text`
};

// Can the text be a query a LIMIT may follow? A hint from its first word
// (SELECT, WITH, VALUES, TABLE, or a parenthesis or comment first): INSERT,
// SET, CREATE and the rest would fail to parse with a LIMIT appended and be
// parsed a second time on the ordinary path.
bool MayBeAQuery(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == '\f' ||
                            sql[i] == '\v')) {
    ++i;
  }
  if (i + 4 > sql.size()) return true;  // too short to tell: let the parser say
  const char first = static_cast<char>(sql[i] | 0x20);
  if (first < 'a' || first > 'z') return true;  // '(', a comment, a quoted name
  // The first four letters, in lower case (the keywords are at least that long).
  uint32_t head;
  std::memcpy(&head, sql.data() + i, 4);
  head |= 0x20202020u;
  const auto word = [](const char (&w)[5]) {
    uint32_t v;
    std::memcpy(&v, w, 4);
    return v;
  };
  return head == word("sele") || head == word("with") || head == word("valu") || head == word("tabl");
}

// Builds the candidate in `storage` (cleared first), whose capacity is reused.
Candidate SpeculativeCandidate(const CompiledPolicy& cp, std::string_view sql, const TextFacts& facts,
                               std::string& storage) {
  Candidate c;
  const Policy& policy = cp.policy();
  if (facts.limit_or_fetch || facts.invalid_at != std::string_view::npos || !MayBeAQuery(sql)) return c;
  auto is_space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; };
  std::string_view base = sql;
  while (!base.empty() && is_space(base.back())) base.remove_suffix(1);
  // A final ';' is dropped as the ordinary path does; with comments in the
  // text it might sit inside one, so leave those texts to the ordinary path.
  if (!base.empty() && base.back() == ';') {
    if ((facts.maybe_dash && ContainsPair(sql, '-', '-')) || ContainsPair(sql, '/', '*')) return c;
    base.remove_suffix(1);
    while (!base.empty() && is_space(base.back())) base.remove_suffix(1);
  }
  if (base.empty()) return c;
  const std::string_view separator = facts.maybe_dash && ContainsPair(base, '-', '-') ? "\nLIMIT " : " LIMIT ";
  const std::string_view digits = cp.max_rows_text();
  const size_t size = base.size() + separator.size() + digits.size();
  if (static_cast<int64_t>(size) > policy.max_statement_bytes) return c;
  storage.clear();
  storage.reserve(size);
  storage.append(base).append(separator).append(digits);
  c.text = &storage;
  c.limit_location = static_cast<int>(base.size() + separator.size());
  c.base_size = base.size();
  return c;
}

// Does the walk of the candidate decide the verdict? Only if the parser put
// the appended LIMIT at the top level of a single SELECT; then a rejection
// stands, and an allowance needs the candidate back unchanged with the cap.
bool CandidateDecides(const CompiledPolicy& cp, const Walked& walked) {
  return walked.limit_at_expected_location &&
         (!walked.allowed || (walked.unchanged && walked.effective_cap == cp.policy().max_rows));
}

// Makes `out` the rejection `from`, keeping the storage of out.sql (a
// rejection's sql is empty) for the next check that reuses `out`.
[[gnu::cold, gnu::noinline]] void SetRejection(Verdict& out, Verdict&& from) {
  std::string storage = std::move(out.sql);
  out = std::move(from);
  storage.clear();
  out.sql = std::move(storage);
}

// `out` holds what an allowed verdict does not set (Verdict{}'s values),
// keeping the storage of its strings and vector.
void ClearForReuse(Verdict& out) {
  out.decision = Decision::kReject;
  out.sql.clear();
  out.max_rows = 0;
  out.rewritten = false;
  out.would_reject = false;
  out.fingerprint.clear();
  out.violations.clear();
}

// The verdict when the candidate decided (`out` holds the candidate text).
void CandidateVerdict(const CompiledPolicy& cp, std::string_view sql, Candidate& candidate, Walked& walked,
                      Verdict& out) {
  if (!walked.allowed) {
    // Positions were taken on the candidate, whose first base_size bytes are
    // the input's: there offsets, lines and columns are the input's too, and
    // only the excerpts are taken again from the input (they must not run
    // into the appended LIMIT). A position past them (none is expected) is
    // kept within the input.
    if (walked.rejection) {
      for (Violation& x : walked.rejection->violations) {
        if (static_cast<size_t>(x.offset) >= candidate.base_size) {
          const size_t offset = std::min(static_cast<size_t>(x.offset), sql.size());
          const LineColumn lc = LineColumnOf(sql, offset);
          x.offset = static_cast<int>(offset);
          x.line = lc.line;
          x.column = lc.column;
        }
        x.fragment = FragmentAt(sql, static_cast<size_t>(x.offset));
      }
    }
    SetRejection(out, TakeRejection(walked, sql));
    return;
  }
  // The candidate was parsed and walked as it stands, in out.sql.
  out.decision = Decision::kAllow;
  out.max_rows = cp.policy().max_rows;
  out.rewritten = true;
}

// Does wrapping the statement to cap it push it past max_depth?
bool WrappedIsTooDeep(const CompiledPolicy& cp, std::string_view statement) {
  const Walked wrapped = Walk(cp, WrapWithLimit(statement, cp.policy().max_rows), nullptr);
  if (!wrapped.rejection) return false;
  for (const Violation& x : wrapped.rejection->violations) {
    if (x.code == "too-deep") return true;
  }
  return false;
}

// The verdict under mode = "enforce" (before fingerprints and detect mode),
// written into `out` (cleared with ClearForReuse).
void Enforce(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer, Verdict& out) {
  // Observed walks (the conformance tests) must see the text as given.
  const TextFacts facts = ScanText(sql);
  if (observer == nullptr) {
    if (Candidate c = SpeculativeCandidate(cp, sql, facts, out.sql); c.text != nullptr) {
      // The candidate is the input's text plus ASCII: the same facts hold.
      Walked walked = Walk(cp, *c.text, nullptr, c.text, &facts, c.limit_location);
      if (CandidateDecides(cp, walked)) {
        CandidateVerdict(cp, sql, c, walked, out);
        return;
      }
      out.sql.clear();
    }
  }
  Walked first = Walk(cp, sql, observer, nullptr, &facts);
  if (!first.allowed) {
    SetRejection(out, TakeRejection(first, sql));
    return;
  }
  const Policy& policy = cp.policy();
  if (first.unchanged) {
    // Exactly the text that was validated: nothing to check again.
    out.decision = Decision::kAllow;
    out.max_rows = first.effective_cap;
    out.sql.assign(sql);
    return;
  }
  // Every statement pgsieve returns fits max_statement_bytes, so it is
  // accepted again as it stands (idempotence) by the same policy.
  const auto fits = [&](const std::string& text) {
    return static_cast<int64_t>(text.size()) <= policy.max_statement_bytes;
  };
  if (!fits(first.rewritten)) {
    SetRejection(out, RejectOne(sql, "too-large",
                                "the statement with the LIMIT pgsieve adds would exceed max_statement_bytes (" +
                                    std::to_string(policy.max_statement_bytes) + "); send a shorter statement",
                                0));
    return;
  }
  // What was validated is what runs: the text returned is parsed and walked
  // again. A splice that does not come back as a fixed point falls back to
  // the wrapped form; if even that fails, nothing is allowed.
  if (Revalidates(cp, first.rewritten, first.effective_cap)) {
    out.sql = std::move(first.rewritten);
    out.max_rows = first.effective_cap;
  } else if (first.action != LimitAction::kKeep && first.action != LimitAction::kWrap &&
             Revalidates(cp, WrapWithLimit(first.statement, cp.policy().max_rows), cp.policy().max_rows)) {
    out.sql = WrapWithLimit(first.statement, cp.policy().max_rows);
    out.max_rows = cp.policy().max_rows;
  } else if (WrappedIsTooDeep(cp, first.statement)) {
    // The wrapper adds levels: a statement just within max_depth can exceed
    // it once wrapped (check_fuzzer: fuzz/regressions/check_fuzzer/wrap-too-deep).
    SetRejection(out, RejectOne(sql, "too-deep",
                                "the statement wrapped to cap its rows (SELECT * FROM (...) LIMIT n) would be nested "
                                "deeper than max_depth (" + std::to_string(cp.policy().max_depth) +
                                    "); flatten the query or use a constant LIMIT",
                                0));
    return;
  } else {
    SetRejection(out, RejectOne(sql, "internal-error",
                                "the capped statement pgsieve built did not validate again; not allowed (please "
                                "report this statement)",
                                0));
    return;
  }
  out.decision = Decision::kAllow;
  out.rewritten = true;
}

// Does `text` lie in storage that `v` owns (and clearing `v` would destroy)?
// A caller may well check a verdict's own sql again into the same verdict.
bool PointsInto(std::string_view text, const Verdict& v) {
  const auto within = [&](const std::string& s) {
    const std::less<const char*> before;
    return !before(text.data(), s.data()) && before(text.data(), s.data() + s.capacity() + 1);
  };
  if (within(v.sql) || within(v.fingerprint)) return true;
  for (const Violation& x : v.violations) {
    if (within(x.code) || within(x.message) || within(x.fragment)) return true;
  }
  return false;
}

}  // namespace

void CheckStatementInto(const CompiledPolicy& cp, std::string_view sql, Verdict& out, NodeObserver* observer) {
  if (!sql.empty() && PointsInto(sql, out)) [[unlikely]] {
    const std::string copy(sql);
    CheckStatementInto(cp, copy, out, observer);
    return;
  }
  ClearForReuse(out);
  Enforce(cp, sql, observer, out);
  const Policy& policy = cp.policy();
  if (out.allowed() && (policy.mode == Mode::kLearn || policy.fingerprints == FingerprintPolicy::kRequire)) {
    // The shape of the statement that will run (capped): checking that text
    // again yields the same fingerprint, so require mode keeps the fixed
    // point, and shapes learned from a server's log (which logs the capped
    // text) match what executors send.
    out.fingerprint = Fingerprint(out.sql);
    if (const FingerprintSet* required = cp.required_fingerprints();
        required != nullptr && !required->Contains(out.fingerprint)) {
      const std::string fingerprint = out.fingerprint;
      SetRejection(out, RejectOne(sql, "fingerprint-not-allowed",
                                  "the statement's shape (fingerprint " + fingerprint +
                                      ") is not on the learned allow-list (fingerprint_file); use a known query shape",
                                  0));
      out.fingerprint = fingerprint;
    }
  }
  if (policy.mode == Mode::kDetect && !out.allowed()) {
    // Detect mode never blocks: the statement runs as given, and the
    // violations say what enforce mode would have done.
    out.decision = Decision::kAllow;
    out.would_reject = true;
    out.sql.assign(sql);
    out.max_rows = policy.max_rows;
  }
}

Verdict CheckStatement(const CompiledPolicy& cp, std::string_view sql, NodeObserver* observer) {
  Verdict v;
  CheckStatementInto(cp, sql, v, observer);
  return v;
}

}  // namespace pgsieve::internal
