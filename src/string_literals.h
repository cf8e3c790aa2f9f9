// The standard_conforming_strings differential.
//
// libpg_query reads '...' literals as a server with standard_conforming_strings
// = on does: a backslash is an ordinary character. A server running with it
// off reads the same backslash as an escape, so 'abc\' ; DROP TABLE t; --'
// is one harmless literal to pgsieve and a second statement to that server.
// Unless the policy states the server guarantees the setting, every plain
// string literal holding a backslash is rejected. E'...' and $$...$$ strings
// read the same under both settings and are fine.
#ifndef PGSIEVE_SRC_STRING_LITERALS_H_
#define PGSIEVE_SRC_STRING_LITERALS_H_

#include <string_view>

#include "finding.h"

namespace pgsieve::internal {

// Adds an ambiguous-string-literal finding for each plain '...' (or N'...')
// literal token holding a backslash. Tokens come from PostgreSQL's own lexer
// (pg_query_scan). REQUIRES: `sql` parsed without error, and sql.data() is
// NUL-terminated at sql.size().
void FindAmbiguousStringLiterals(std::string_view sql, Findings& findings);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_STRING_LITERALS_H_
