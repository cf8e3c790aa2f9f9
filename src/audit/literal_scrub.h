// ScrubLiterals: a report-safe form of text that PostgreSQL cannot parse.
//
// Reports print statements normalized by pgsieve::Normalize (libpg_query
// replaces every constant with $n). Normalize needs a parse; for text that
// does not parse (a parse-error rejection, a statement cut at the size cap)
// it returns the text as given, which could put a password or an e-mail
// address into a report. This lexer-level scrub replaces quoted strings
// ('...', E'...', $tag$...$tag$), numbers and the rest of an unterminated
// string with `?`, keeping keywords, identifiers and punctuation, so a
// reviewer still sees the shape of what was sent.
//
// Thread safety: pure function.
#ifndef PGSIEVE_SRC_AUDIT_LITERAL_SCRUB_H_
#define PGSIEVE_SRC_AUDIT_LITERAL_SCRUB_H_

#include <string>
#include <string_view>

namespace pgsieve::audit {

std::string ScrubLiterals(std::string_view sql);

// The report form of a statement: ScrubLiterals(Normalize(sql)) (constants
// as $n when it parses; comments and, when it does not parse, literals as ?);
// `show_literals` keeps the text as given. White space runs become
// one space and the result is cut to `max_bytes` (at a UTF-8 boundary, "…"
// appended).
std::string ReportExample(std::string_view sql, bool show_literals, size_t max_bytes = 2000);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_LITERAL_SCRUB_H_
