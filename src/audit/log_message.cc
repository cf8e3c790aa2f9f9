#include "audit/log_message.h"

#include <vector>

#include "audit/csv_records.h"

namespace pgsieve::audit {
namespace {

// A session map that grew this large belongs to a long log with many short
// sessions; forgetting old ones costs at most a duplicate, not memory.
constexpr size_t kMaxSessions = 65536;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool StatementFromLogMessage(std::string_view m, std::string* sql, StatementLine* kind) {
  bool duration = false;
  if (StartsWith(m, "duration: ")) {
    duration = true;
    // "duration: 12.345 ms  statement: ..." (two spaces), or a bare duration.
    const size_t ms = m.find(" ms  ");
    if (ms == std::string_view::npos) return false;
    m.remove_prefix(ms + 5);
  }
  if (StartsWith(m, "statement: ")) {
    sql->assign(m.substr(11));
    *kind = duration ? StatementLine::kDuration : StatementLine::kStatement;
    return true;
  }
  if (StartsWith(m, "execute ") && !StartsWith(m, "execute fetch from ")) {
    // "execute <unnamed>: ...", "execute S_1: ...", "execute S_1/C_1: ..."
    const size_t colon = m.find(": ");
    if (colon == std::string_view::npos) return false;
    sql->assign(m.substr(colon + 2));
    *kind = duration ? StatementLine::kDuration : StatementLine::kExecute;
    return true;
  }
  return false;
}

PgauditParse ParsePgauditMessage(std::string_view message, PgauditEntry* entry, std::string* error) {
  if (!StartsWith(message, "AUDIT: ")) return PgauditParse::kNotAudit;
  message.remove_prefix(7);
  std::vector<std::string> fields;
  // The statement field is the 8th; what follows it (parameters, rows) may
  // be CSV of its own, so split the head and the statement only.
  std::string local_error;
  if (!SplitCsv(message, &fields, &local_error) || fields.size() < 8) {
    // Parameters logged as unbalanced text can break the split after the
    // statement; retry on the prefix up to the statement field's end.
    fields.clear();
    std::string head;
    size_t i = 0;
    int commas = 0;
    while (i < message.size() && commas < 7) {
      if (message[i] == ',') ++commas;
      ++i;
    }
    if (commas < 7) {
      *error = "pgaudit line with fewer than 8 fields";
      return PgauditParse::kBad;
    }
    if (!SplitCsv(message.substr(0, i - 1), &fields, &local_error)) {
      *error = "pgaudit line: " + local_error;
      return PgauditParse::kBad;
    }
    std::string_view rest = message.substr(i);
    std::string statement;
    if (!rest.empty() && rest[0] == '"') {
      size_t j = 1;
      bool closed = false;
      while (j < rest.size()) {
        if (rest[j] == '"') {
          if (j + 1 < rest.size() && rest[j + 1] == '"') {
            statement.push_back('"');
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        statement.push_back(rest[j++]);
      }
      if (!closed) {
        *error = "pgaudit line: unterminated quoted statement";
        return PgauditParse::kBad;
      }
    } else {
      statement.assign(rest.substr(0, rest.find(',')));
    }
    fields.push_back(statement);
  }
  entry->audit_type = fields[0];
  entry->statement_id = fields[1];
  entry->substatement_id = fields[2];
  entry->statement = fields[7];
  if (entry->audit_type != "SESSION" && entry->audit_type != "OBJECT") {
    *error = "pgaudit line with audit type \"" + entry->audit_type + "\"";
    return PgauditParse::kBad;
  }
  return PgauditParse::kOk;
}

bool IsErrorSeverity(std::string_view s) { return s == "ERROR" || s == "FATAL" || s == "PANIC"; }

SessionDeduper::State& SessionDeduper::Get(const std::string& session) {
  if (sessions_.size() >= kMaxSessions && sessions_.find(session) == sessions_.end()) sessions_.clear();
  return sessions_[session];
}

bool SessionDeduper::Line(const std::string& session, const std::string& sql, StatementLine kind) {
  State& s = Get(session);
  switch (kind) {
    case StatementLine::kStatement:
      s.awaiting_audit = sql;
      s.pending_audit.clear();
      s.last_counted = sql;
      return true;
    case StatementLine::kExecute: {
      // pgaudit wrote its line at bind time, before this one.
      const bool counted_already = sql == s.pending_audit;
      s.awaiting_audit.clear();
      s.pending_audit.clear();
      s.last_counted = sql;
      return !counted_already;
    }
    case StatementLine::kDuration: {
      // The statement has ended: the same text again is a new execution.
      const bool counted_already = sql == s.pending_audit || sql == s.last_counted;
      s.pending_audit.clear();
      s.last_counted.clear();
      return !counted_already;
    }
  }
  return true;
}

bool SessionDeduper::Pgaudit(const std::string& session, const PgauditEntry& entry) {
  State& s = Get(session);
  if (entry.statement == "<previously logged>") return false;
  if (!entry.statement_id.empty() && entry.statement_id == s.last_audit_id) return false;
  s.last_audit_id = entry.statement_id;
  // log_statement logged it already (each statement of a multi-statement
  // string gets its own pgaudit line carrying the whole string).
  if (entry.statement == s.awaiting_audit) return false;
  s.awaiting_audit.clear();
  s.pending_audit = entry.statement;
  s.last_counted = entry.statement;
  return true;
}

bool SessionDeduper::ErrorStatement(const std::string& session, const std::string& sql) {
  State& s = Get(session);
  const bool counted_already = sql == s.last_counted;
  // The error ends that statement: the same text again is a new execution.
  s.last_counted.clear();
  s.pending_audit.clear();
  return !counted_already;
}

EntryKind StatementOfEntry(const LogEntry& e, SessionDeduper* dedup, std::string* sql, std::string* error) {
  if (IsErrorSeverity(e.severity)) {
    if (e.query.empty()) return EntryKind::kOther;
    sql->assign(e.query);
    return dedup->ErrorStatement(e.session, *sql) ? EntryKind::kStatement : EntryKind::kOther;
  }
  StatementLine kind = StatementLine::kStatement;
  // pgaudit.log_level may be other than LOG; log_statement's lines are LOG.
  if (e.severity == "LOG" && StatementFromLogMessage(e.message, sql, &kind)) {
    return dedup->Line(e.session, *sql, kind) ? EntryKind::kStatement : EntryKind::kOther;
  }
  PgauditEntry audit;
  switch (ParsePgauditMessage(e.message, &audit, error)) {
    case PgauditParse::kNotAudit:
      return EntryKind::kOther;
    case PgauditParse::kBad:
      return EntryKind::kBad;
    case PgauditParse::kOk:
      if (!dedup->Pgaudit(e.session, audit)) return EntryKind::kOther;
      sql->swap(audit.statement);
      return EntryKind::kStatement;
  }
  return EntryKind::kOther;
}

}  // namespace pgsieve::audit
