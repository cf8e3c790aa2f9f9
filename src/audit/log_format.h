// The audit input formats, their --format names, and detection from content.
//
// Detection looks at the first 64 KiB of (decompressed) data, not at the file
// name, because rotated and compressed logs rarely keep a telling suffix; the
// name is only the tie-breaker when the content says nothing (an empty file).
//
//   format name   what
//   csvlog        PostgreSQL log_destination = 'csvlog' (23 to 26 columns)
//   jsonlog       PostgreSQL 15 log_destination = 'jsonlog' (one object a line)
//   pgss-csv      a pg_stat_statements export: CSV with a header naming `query`
//                 (and optionally `calls`, `username`/`rolname`, `datname`)
//   pgss-json     the same as a JSON array of objects or one object a line
//   sql           statements separated by `;` (strings, comments and
//                 dollar quotes respected), or by lines holding only 0x1E
//                 (the corpus record format of tests/data)
//   jsonl         `pgsieve check --jsonl` requests: {"id": ..., "sql": "..."}
//
// pgaudit lines ("AUDIT: SESSION,...") are read inside csvlog and jsonlog.
//
// Thread safety: pure functions.
#ifndef PGSIEVE_SRC_AUDIT_LOG_FORMAT_H_
#define PGSIEVE_SRC_AUDIT_LOG_FORMAT_H_

#include <optional>
#include <string>
#include <string_view>

namespace pgsieve::audit {

enum class LogFormat {
  kAuto,
  kCsvlog,
  kJsonlog,
  kStatStatementsCsv,
  kStatStatementsJson,
  kStatStatements,  // --format pgss: CSV or JSON, decided from the content
  kSql,
  kJsonl,
};

// "csvlog", "jsonlog", "pgss-csv", ...
std::string_view FormatName(LogFormat format);

// The --format value ("auto", "csvlog", "jsonlog", "pgss", "pgss-csv",
// "pgss-json", "sql", "jsonl"); nullopt for anything else.
std::optional<LogFormat> ParseFormatName(std::string_view name);

// The format of data that starts with `head`; `path` breaks ties.
// `requested` narrows it: kStatStatements picks between CSV and JSON; any
// other value but kAuto is returned as it is.
LogFormat DetectFormat(std::string_view head, std::string_view path, LogFormat requested = LogFormat::kAuto);

// Every --format name, for usage text.
std::string FormatNames();

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_LOG_FORMAT_H_
