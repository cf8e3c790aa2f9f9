// SqlSplitter: cuts SQL text into statements at top-level semicolons, fed a
// line at a time, so a .sql file of any size streams. It knows what a
// semicolon inside does not end: '...' and E'...' strings, "..." identifiers,
// $tag$...$tag$ bodies, -- and (nested) /* */ comments. For pg_dump and psql
// scripts it skips psql meta-command lines (\connect, ...) and the data of
// COPY ... FROM stdin up to "\.".
//
// Strings follow standard_conforming_strings = on (PostgreSQL's default since
// 9.1): a backslash escapes only inside E'...'.
//
// Thread safety: none; one per input.
#ifndef PGSIEVE_SRC_AUDIT_SQL_SPLITTER_H_
#define PGSIEVE_SRC_AUDIT_SQL_SPLITTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgsieve::audit {

struct SplitStatement {
  std::string sql;    // without the terminating ';'; leading comments kept
  uint64_t line = 0;  // 1-based line of its first non-blank character
};

class SqlSplitter {
 public:
  // `max_statement_bytes`: longer statements are cut there (and rejected
  // as too-large by the firewall); lexing goes on so the split stays right.
  explicit SqlSplitter(size_t max_statement_bytes) : max_bytes_(max_statement_bytes) {}

  // Feeds line `number` (without its newline); appends finished statements.
  void AddLine(std::string_view line, uint64_t number, std::vector<SplitStatement>* out);
  // The end of the input: a statement without a final ';' is finished too.
  void Finish(std::vector<SplitStatement>* out);

 private:
  enum class State { kNormal, kString, kEString, kIdentifier, kDollar, kLineComment, kBlockComment };
  void Append(std::string_view text);
  void Emit(std::vector<SplitStatement>* out);

  size_t max_bytes_;
  State state_ = State::kNormal;
  std::string current_;
  bool content_ = false;   // current_ holds more than white space and comments
  uint64_t start_line_ = 0;
  std::string dollar_tag_;  // "$tag$" while in kDollar
  int comment_depth_ = 0;
  bool in_copy_data_ = false;
  bool started_line_ = false;  // current_ has text from an earlier line
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_SQL_SPLITTER_H_
