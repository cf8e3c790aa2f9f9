#include "text_position.h"

#include <algorithm>

namespace pgsieve::internal {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto c0 = static_cast<unsigned char>(text[i]);
  if (c0 < 0x80) return c0 == 0 ? 0 : 1;
  size_t len;
  uint32_t min;
  uint32_t cp;
  if ((c0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c0 & 0x1F;
  } else if ((c0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c0 & 0x0F;
  } else if ((c0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (!IsContinuation(c)) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

size_t FindInvalidUtf8OrNul(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Fast path over ASCII.
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(text, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

int CharCursorToByteOffset(std::string_view text, int cursor) {
  if (cursor <= 1) return 0;
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (++chars == cursor) return static_cast<int>(i);
  }
  return static_cast<int>(text.size());
}

LineColumn LineColumnOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  LineColumn lc;
  for (size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if (!IsContinuation(c)) {
      ++lc.column;
    }
  }
  return lc;
}

std::string_view LineAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t begin = offset;
  while (begin > 0 && text[begin - 1] != '\n') --begin;
  size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  return text.substr(begin, end - begin);
}

std::string FragmentAt(std::string_view text, size_t offset) {
  constexpr size_t kMaxBytes = 80;
  if (offset >= text.size()) return {};
  int depth = 0;
  size_t end = offset;
  while (end < text.size() && end - offset < kMaxBytes) {
    const char c = text[end];
    if (c == '\n' || c == '\r') break;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) break;
    if (depth == 0 && (c == ',' || c == ';') && end > offset) break;
    ++end;
  }
  // Do not cut a multi-byte character.
  while (end > offset && end < text.size() && IsContinuation(static_cast<unsigned char>(text[end]))) --end;
  while (end > offset && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(offset, end - offset));
}

}  // namespace pgsieve::internal
