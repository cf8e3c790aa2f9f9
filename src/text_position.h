// Byte offsets, characters, lines and columns of the checked text.
//
// Offsets in pgsieve are byte offsets (as in libpg_query's node locations);
// columns are counted in characters (UTF-8 code points), 1-based, so a caret
// lines up under the offending text in a terminal.
#ifndef PGSIEVE_SRC_TEXT_POSITION_H_
#define PGSIEVE_SRC_TEXT_POSITION_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace pgsieve::internal {

// Offset of the first byte that is not part of valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid) or a NUL byte; npos
// when the whole text is valid.
size_t FindInvalidUtf8OrNul(std::string_view text);

// What one pass over the input tells the checker before it parses.
struct TextFacts {
  size_t invalid_at = std::string_view::npos;  // first NUL byte or invalid UTF-8
  bool backslash = false;                       // any '\\' (the literal check needs the lexer)
  // A hint (it chooses a strategy, never a verdict): the word LIMIT or FETCH
  // in any case near the end of the text.
  bool limit_or_fetch = false;
  // A hint: false only if the text holds no '-' (so no "--" comment).
  bool maybe_dash = false;
};
TextFacts ScanText(std::string_view text);

// Does `text` hold the two characters `first` `second` next to each other
// ("--", "/*")? memchr-fast; for strategy hints, never for a verdict.
bool ContainsPair(std::string_view text, char first, char second);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
// PostgreSQL's messages quote input bytes and may cut a character in half.
std::string ValidUtf8(std::string_view text);

// The byte offset of PostgreSQL's 1-based character cursor position.
int CharCursorToByteOffset(std::string_view text, int cursor);

struct LineColumn {
  int line = 1;
  int column = 1;
};
LineColumn LineColumnOf(std::string_view text, size_t offset);

// The same, moving forward from a known position (from <= offset): violations
// sorted by offset are placed in one pass over the text.
LineColumn AdvanceLineColumn(std::string_view text, size_t from, LineColumn at, size_t offset);

// The text of the line holding `offset` (without its newline).
std::string_view LineAt(std::string_view text, size_t offset);

// A short excerpt of the offending text starting at `offset`: up to the end
// of the line, a top-level ',' or ';', the closing parenthesis of the
// enclosing group, or about 80 bytes; never cuts a UTF-8 sequence.
std::string FragmentAt(std::string_view text, size_t offset);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_TEXT_POSITION_H_
