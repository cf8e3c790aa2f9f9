// What a PostgreSQL log entry says about statements: shared by the csvlog and
// jsonlog readers, which only differ in how they find the fields.
//
// An entry counts as a statement when it is
//   - a LOG line from log_statement ("statement: ...") or
//     log_min_duration_statement ("duration: 1.2 ms  statement: ..."), or the
//     extended protocol's "execute <name>: ..." (parse, bind and
//     "execute fetch from" lines are not: the execute line is the statement);
//   - a pgaudit line ("AUDIT: SESSION,<id>,<sub>,<class>,<command>,...,<statement>,...");
//   - an ERROR/FATAL/PANIC entry carrying the statement that failed (the
//     query field): a statement the server could not parse is never logged by
//     log_statement, and executors send such statements too.
// The same statement often appears in more than one of these (log_statement =
// 'all' and pgaudit both on; an error after the statement line), so a
// SessionDeduper keeps one per execution. The order matters and is
// PostgreSQL's: a "statement:" line comes before pgaudit's line for it, an
// "execute" line after it (pgaudit logs when the portal starts, at bind), a
// duration line and an error after both. Messages are read in English
// (lc_messages = 'C' or 'en_*', PostgreSQL's default for logs).
//
// Thread safety: the functions are pure; a SessionDeduper belongs to one reader.
#ifndef PGSIEVE_SRC_AUDIT_LOG_MESSAGE_H_
#define PGSIEVE_SRC_AUDIT_LOG_MESSAGE_H_

#include <string>
#include <string_view>
#include <unordered_map>

namespace pgsieve::audit {

enum class StatementLine {
  kStatement,  // "statement: ..." (simple protocol): logged before pgaudit's line
  kExecute,    // "execute <name>: ..." (extended protocol): logged after pgaudit's
               // line, which the bind step writes
  kDuration,   // "duration: ... ms  statement|execute ...": logged when it ended
};

// The statement of a log_statement / duration / execute message; false for
// every other message.
bool StatementFromLogMessage(std::string_view message, std::string* sql, StatementLine* kind);

struct PgauditEntry {
  std::string audit_type;    // SESSION or OBJECT
  std::string statement_id;  // per session, increasing
  std::string substatement_id;
  std::string statement;     // "<previously logged>" with pgaudit.log_statement_once
};

// kNotAudit: the message is not a pgaudit line; kBad: it is one but its
// fields cannot be read (*error says why).
enum class PgauditParse { kNotAudit, kOk, kBad };
PgauditParse ParsePgauditMessage(std::string_view message, PgauditEntry* entry, std::string* error);

// True for ERROR, FATAL and PANIC.
bool IsErrorSeverity(std::string_view severity);

// Decides, per session, which entries are statements not counted yet.
class SessionDeduper {
 public:
  // A statement line: kStatement is always counted; kExecute and kDuration
  // unless the pgaudit line just before counted the same statement.
  bool Line(const std::string& session, const std::string& sql, StatementLine kind);
  // A pgaudit line: counted unless it repeats the session's last "statement:"
  // line, belongs to a statement id already seen (substatements, one line per
  // relation, SESSION and OBJECT for one statement), or says "<previously logged>".
  bool Pgaudit(const std::string& session, const PgauditEntry& entry);
  // An error carrying its statement: counted unless that statement was the
  // session's last counted one (it was logged before it failed).
  bool ErrorStatement(const std::string& session, const std::string& sql);

 private:
  struct State {
    std::string awaiting_audit;  // a "statement:" line whose pgaudit lines may follow
    std::string pending_audit;   // a counted pgaudit line whose execute/duration line may follow
    std::string last_counted;    // what an error entry would repeat
    std::string last_audit_id;
  };
  State& Get(const std::string& session);
  std::unordered_map<std::string, State> sessions_;
};

// The fields of one log entry that matter here, as both log formats have them.
struct LogEntry {
  std::string_view severity;  // LOG, ERROR, ...
  std::string_view message;
  std::string_view query;     // csvlog `query`, jsonlog `statement`: set on errors
  std::string session;        // session_id (the pid when absent)
};

enum class EntryKind {
  kOther,      // not a statement (connections, checkpoints, a duplicate)
  kStatement,  // *sql holds the statement
  kBad,        // a pgaudit line whose fields cannot be read (*error)
};
EntryKind StatementOfEntry(const LogEntry& entry, SessionDeduper* dedup, std::string* sql, std::string* error);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_LOG_MESSAGE_H_
