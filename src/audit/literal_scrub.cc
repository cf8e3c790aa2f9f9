#include "audit/literal_scrub.h"

#include <cctype>

#include "pgsieve/fingerprints.h"

namespace pgsieve::audit {
namespace {

bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (c & 0x80); }

// Cuts at a UTF-8 character boundary at or before `max`.
void CutUtf8(std::string* s, size_t max) {
  if (s->size() <= max) return;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>((*s)[cut]) & 0xC0) == 0x80) --cut;
  s->resize(cut);
  *s += "\xE2\x80\xA6";  // …
}

}  // namespace

std::string ScrubLiterals(std::string_view s) {
  std::string out;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const char c = s[i];
    const bool word_before = i > 0 && IdentChar(s[i - 1]);
    if (c == '\'') {
      // 'text', E'text' (its E was copied already), '' doubled inside.
      const bool escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !IdentChar(s[i - 2]));
      size_t j = i + 1;
      while (j < n) {
        if (escapes && s[j] == '\\') {
          j += 2;
          continue;
        }
        if (s[j] == '\'') {
          if (j + 1 < n && s[j + 1] == '\'') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      out += "'?'";
      i = j + 1;
      continue;
    }
    if (c == '$' && !word_before) {
      size_t j = i + 1;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j < n && s[j] == '$' && (j == i + 1 || !std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
        const std::string_view tag = s.substr(i, j - i + 1);
        const size_t close = s.find(tag, j + 1);
        out += "'?'";
        i = close == std::string_view::npos ? n : close + tag.size();
        continue;
      }
      // $1: a parameter, not a value.
      out += '$';
      ++i;
      while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) out += s[i++];
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) && !word_before) {
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '_')) ++i;
      out += '?';
      continue;
    }
    if (c == '"') {
      // A quoted identifier is a name, not a value: keep it.
      const size_t close = s.find('"', i + 1);
      const size_t end = close == std::string_view::npos ? n : close + 1;
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      // Comments may hold anything.
      const size_t nl = s.find('\n', i);
      out += "--?";
      i = nl == std::string_view::npos ? n : nl;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      const size_t close = s.find("*/", i + 2);
      out += "/*?*/";
      i = close == std::string_view::npos ? n : close + 2;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string ReportExample(std::string_view sql, bool show_literals, size_t max_bytes) {
  std::string text;
  if (show_literals) {
    text.assign(sql);
  } else {
    // Normalize replaces constants but keeps comments, and returns its input
    // unchanged when it cannot parse it: the scrub covers both.
    text = ScrubLiterals(Normalize(sql));
  }
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  CutUtf8(&out, max_bytes);
  return out;
}

}  // namespace pgsieve::audit
