#include "text_position.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

namespace {

// SWAR: does any byte of `v` need a closer look (>= 0x80, NUL or '\\')?
inline bool NeedsLook(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t backslash = v ^ (kOnes * '\\');
  const uint64_t zero_or_backslash = ((v - kOnes) & ~v) | ((backslash - kOnes) & ~backslash);
  return ((v | zero_or_backslash) & kHigh) != 0;
}

// Is `word` (lower case) at `pos`, in any case? Bounds-checked.
bool WordAt(std::string_view text, long pos, std::string_view word) {
  if (pos < 0 || static_cast<size_t>(pos) + word.size() > text.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if ((text[static_cast<size_t>(pos) + k] | 0x20) != word[k]) return false;
  }
  return true;
}

// Does "limit" or "fetch" occur in any case? Looks for the letter pairs "mi"
// (li-MI-t) and "tc" (fe-TC-h), rare elsewhere in SQL, sixteen positions at
// a time, and compares the word around each.
bool HasLimitOrFetch(std::string_view text) {
  const auto word_at = [text](size_t pair) {
    const char c = static_cast<char>(text[pair] | 0x20);
    return WordAt(text, static_cast<long>(pair) - 2, c == 'm' ? "limit" : "fetch");
  };
  const auto pair_at = [text](size_t i) {
    const char a = static_cast<char>(text[i] | 0x20);
    const char b = static_cast<char>(text[i + 1] | 0x20);
    return (a == 'm' && b == 'i') || (a == 't' && b == 'c');
  };
  size_t i = 0;
#if defined(__SSE2__)
  if (text.size() >= 17) {
    // Pairs starting at [at, at + 16); the last block ends at the text's end.
    const auto block = [&](size_t at) {
      const __m128i case_bit = _mm_set1_epi8(0x20);
      const __m128i a = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at)), case_bit);
      const __m128i b =
          _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at + 1)), case_bit);
      const __m128i mi = _mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('m')), _mm_cmpeq_epi8(b, _mm_set1_epi8('i')));
      const __m128i tc = _mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('t')), _mm_cmpeq_epi8(b, _mm_set1_epi8('c')));
      for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(mi, tc))); mask != 0; mask &= mask - 1) {
        if (word_at(at + static_cast<size_t>(__builtin_ctz(mask)))) return true;
      }
      return false;
    };
    size_t at = 0;
    for (; at + 17 <= text.size(); at += 16) {
      if (block(at)) return true;
    }
    return at + 1 < text.size() && block(text.size() - 17);
  }
#endif
  for (; i + 1 < text.size(); ++i) {
    if (pair_at(i) && word_at(i)) return true;
  }
  return false;
}


}  // namespace

TextFacts ScanText(std::string_view text) {
  TextFacts f;
  size_t i = 0;
#if defined(__SSE2__)
  // The usual text is plain ASCII without NUL or backslash: one tight pass
  // over 16-byte blocks (the last one ending at the text's end) says so and
  // notes any '-'. Otherwise the careful loop below starts over.
  if (text.size() >= 16) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i dash = _mm_set1_epi8('-');
    __m128i special = zero;
    __m128i dashes = zero;
    const auto look = [&](size_t at) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
      special = _mm_or_si128(special, _mm_or_si128(v, _mm_or_si128(_mm_cmpeq_epi8(v, zero), _mm_cmpeq_epi8(v, backslash))));
      dashes = _mm_or_si128(dashes, _mm_cmpeq_epi8(v, dash));
    };
    size_t at = 0;
    for (; at + 16 <= text.size(); at += 16) look(at);
    if (at < text.size()) look(text.size() - 16);
    if (_mm_movemask_epi8(special) == 0) {
      i = text.size();
      f.maybe_dash = _mm_movemask_epi8(dashes) != 0;
    }
  }
#endif
  if (i < text.size()) f.maybe_dash = true;  // the careful loop does not look for '-'
  while (i < text.size()) {
#if defined(__SSE2__)
    // 16 bytes at a time: high bit, NUL or backslash in any of them sends the
    // block to the closer look below.
    if (i + 16 <= text.size()) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      const __m128i special =
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
      if (_mm_movemask_epi8(_mm_or_si128(v, special)) == 0) {
        i += 16;
        continue;
      }
    }
#endif
    if (i + 8 <= text.size()) {
      uint64_t v;
      std::memcpy(&v, text.data() + i, 8);
      if (!NeedsLook(v)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      if (f.invalid_at == std::string_view::npos) f.invalid_at = i;
      ++i;
    } else if (c == '\\') {
      f.backslash = true;
      ++i;
    } else if (c < 0x80) {
      ++i;
    } else {
      const size_t len = Utf8SequenceLength(text, i);
      if (len == 0 && f.invalid_at == std::string_view::npos) f.invalid_at = i;
      i += len == 0 ? 1 : len;
    }
  }
  // Hints for choosing a strategy, never for a verdict.
  // A statement's own LIMIT / FETCH can only be followed by OFFSET, a locking
  // clause and comments, so only the tail is searched: a LIMIT further in
  // belongs to a subquery and does not stop the one-parse path.
  constexpr size_t kTail = 96;
  const std::string_view tail = text.size() > kTail ? text.substr(text.size() - kTail) : text;
  f.limit_or_fetch = HasLimitOrFetch(tail);
  return f;
}

bool ContainsPair(std::string_view text, char first, char second) {
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while ((p = static_cast<const char*>(std::memchr(p, first, static_cast<size_t>(end - p)))) != nullptr) {
    if (p + 1 < end && p[1] == second) return true;
    ++p;
  }
  return false;
}

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c != 0 && c < 0x80 ? 1 : Utf8SequenceLength(text, i);
    if (len == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
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

LineColumn LineColumnOf(std::string_view text, size_t offset) { return AdvanceLineColumn(text, 0, LineColumn{}, offset); }

LineColumn AdvanceLineColumn(std::string_view text, size_t from, LineColumn at, size_t offset) {
  offset = std::min(offset, text.size());
  LineColumn lc = at;
  for (size_t i = from; i < offset; ++i) {
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
