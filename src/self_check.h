// SelfCheck: proves at start-up that the node layout pgsieve reads is the one
// libpg_query writes.
//
// The walker reads libpg_query 15-4.0.0's trees (built from PostgreSQL 15.1)
// through PostgreSQL 15.x server headers. Once per process, known statements
// are parsed and the tags, fields and enum values the walker relies on are
// compared with what they must be. If anything disagrees every statement is
// rejected with internal-error: a mismatch must never turn into an allow.
#ifndef PGSIEVE_SRC_SELF_CHECK_H_
#define PGSIEVE_SRC_SELF_CHECK_H_

#include <string>

namespace pgsieve::internal {

// Empty when the check passed; otherwise what disagreed. Runs once per
// process (thread-safe); later calls return the cached result.
const std::string& SelfCheckFailure();

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_SELF_CHECK_H_
