// Timestamps as PostgreSQL writes them in csvlog and jsonlog
// ("2024-05-01 10:00:00.123 UTC", "2024-05-01 12:00:00.123 +02"), to and
// from milliseconds since the epoch.
//
// A numeric zone offset and UTC/GMT/Z are honoured. Any other abbreviation
// (log_timezone = 'Europe/Paris' writes "CET") is read as UTC: reports then
// show the server's wall-clock times, which is what the log says. Set
// log_timezone = 'UTC' on audited servers for exact cross-server times.
//
// Thread safety: pure functions.
#ifndef PGSIEVE_SRC_AUDIT_LOG_TIME_H_
#define PGSIEVE_SRC_AUDIT_LOG_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "audit/log_record.h"

namespace pgsieve::audit {

// kNoTime when `text` does not start with "YYYY-MM-DD HH:MM:SS" (a 'T' may
// stand for the space).
int64_t ParseLogTime(std::string_view text);

// "2024-05-01T10:00:00.123Z"; "" for kNoTime.
std::string FormatIsoTime(int64_t ms);

// True when `text` starts like a csvlog record: "YYYY-MM-DD HH:MM:SS".
bool StartsWithLogTime(std::string_view text);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_LOG_TIME_H_
