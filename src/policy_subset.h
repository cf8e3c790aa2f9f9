// PolicySubsetError: the part of TOML a policy file may use, checked before
// toml++ reads the text.
//
// toml++ 3.3.0 (Debian 12) misbehaves on some malformed text: it reaches
// __builtin_unreachable on non-ASCII characters outside strings and after a
// line-ending backslash in a multi-line string (marzer/tomlplusplus#190,
// #295), and breaks its own preconditions on text such as "[~" or "a=[}"
// (#294, #301): an abort where its assertions are on, undefined behaviour in
// release builds. All found by fuzz/policy_fuzzer. A policy needs a small
// subset of TOML, so text outside it is refused, with its line and column,
// and toml++ only ever sees text inside it:
//  - comments, blank lines, [table] headers, key = value;
//  - keys bare (letters, digits, '_', '-') or quoted, dotted;
//  - values: strings ("..." with escapes, or '...', on one line), integers
//    (sign, digits, '_' between digits), true, false, and arrays of those
//    (over several lines, with comments; not nested);
//  - non-ASCII characters only inside strings and comments, as valid UTF-8.
// Not in the subset (no policy key needs them): floats, dates, inline
// tables, arrays of tables, multi-line strings, hex/octal/binary integers.
#ifndef PGSIEVE_SRC_POLICY_SUBSET_H_
#define PGSIEVE_SRC_POLICY_SUBSET_H_

#include <optional>
#include <string>
#include <string_view>

namespace pgsieve::internal {

// nullopt when `text` is inside the subset; else "LINE:COLUMN: what" (1-based,
// the column in characters).
std::optional<std::string> PolicySubsetError(std::string_view text);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_POLICY_SUBSET_H_
