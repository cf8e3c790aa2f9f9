// LogRecord: one statement found in an audit input, with who ran it and
// when, as every reader produces it; and Malformed: an input record that could
// not be read (counted and reported with its file and line, never fatal).
//
// Thread safety: plain values.
#ifndef PGSIEVE_SRC_AUDIT_LOG_RECORD_H_
#define PGSIEVE_SRC_AUDIT_LOG_RECORD_H_

#include <cstdint>
#include <limits>
#include <string>

namespace pgsieve::audit {

// No timestamp (plain SQL files, JSON Lines without one, stat exports).
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct LogRecord {
  std::string sql;
  std::string user;         // empty when the input does not say
  std::string database;
  std::string application;
  std::string timestamp;    // as written in the input (shown in reports)
  int64_t time_ms = kNoTime;  // parsed timestamp, milliseconds since the epoch (UTC)
  // Executions the record stands for: pg_stat_statements' calls; 1 otherwise.
  uint64_t calls = 1;
  // Where it was read: index into the audit's inputs, 1-based line of the
  // record's first line.
  uint32_t file = 0;
  uint64_t line = 0;
  // Global order of the record across all inputs: reports keep the example
  // with the lowest sequence, so they do not depend on thread scheduling.
  uint64_t sequence = 0;
};

struct Malformed {
  uint32_t file = 0;
  uint64_t line = 0;
  std::string reason;
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_LOG_RECORD_H_
