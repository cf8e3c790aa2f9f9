#include "policy_subset.h"


#include "text_position.h"

namespace pgsieve::internal {
namespace {

// A recursive-descent recognizer of the subset (policy_subset.h). It only
// says yes or no (and where it stopped); toml++ builds the values.
class PolicySubset {
 public:
  // nullopt when `text` is inside the subset; else "line:column: what".
  static std::optional<std::string> Error(std::string_view text) {
    // Encoding first (the project's one UTF-8 check), so the recognizer
    // below can take every non-ASCII sequence as valid.
    size_t at = FindInvalidUtf8OrNul(text);
    std::string what = at < text.size() && text[at] == '\0' ? "NUL byte" : "invalid UTF-8";
    if (at == std::string_view::npos) {
      PolicySubset s(text);
      if (s.Document()) return std::nullopt;
      at = s.i_;
      what = s.error_;
    }
    const LineColumn lc = LineColumnOf(text, at);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " + what;
  }

 private:
  explicit PolicySubset(std::string_view t) : t_(t) {}

  bool Document() {
    while (i_ < t_.size()) {
      Blank();
      if (Peek() == '[') {
        ++i_;
        Blank();
        if (!Key()) return false;
        Blank();
        if (Peek() != ']') return Fail("expected ']' closing the table name");
        ++i_;
      } else if (Peek() != '#' && Peek() != '\n' && Peek() != '\r' && i_ < t_.size()) {
        if (!Key()) return false;
        Blank();
        if (Peek() != '=') return Fail("expected '=' after the key");
        ++i_;
        Blank();
        if (!Value(/*in_array=*/false)) return false;
      }
      Blank();
      if (!EndOfLine()) return false;
    }
    return true;
  }

  bool Key() {
    for (;;) {
      if (Peek() == '"' || Peek() == '\'') {
        if (!String()) return false;
      } else {
        const size_t start = i_;
        while (IsBareKeyChar(Peek())) ++i_;
        if (i_ == start) return Fail("expected a key (letters, digits, '_', '-', or a quoted key)");
      }
      Blank();
      if (Peek() != '.') return true;
      ++i_;
      Blank();
    }
  }

  bool Value(bool in_array) {
    const char c = Peek();
    if (c == '"' || c == '\'') return String();
    if (c == '[') {
      if (in_array) return Fail("nested arrays are not used in a policy");
      ++i_;
      for (;;) {
        if (!Gap()) return false;
        if (Peek() == ']') break;
        if (!Value(/*in_array=*/true)) return false;
        if (!Gap()) return false;
        if (Peek() == ',') {
          ++i_;
        } else if (Peek() != ']') {
          return Fail("expected ',' or ']' in the array");
        }
      }
      ++i_;
      return true;
    }
    for (std::string_view word : {"true", "false"}) {
      if (t_.substr(i_, word.size()) == word && !IsBareKeyChar(At(i_ + word.size()))) {
        i_ += word.size();
        return true;
      }
    }
    if (c == '+' || c == '-') ++i_;
    if (!IsDigit(Peek())) return Fail("expected a string, an integer, true, false or an array");
    while (IsDigit(Peek()) || (Peek() == '_' && IsDigit(At(i_ + 1)))) ++i_;
    return true;
  }

  // "..." with escapes, or '...'; one line; valid UTF-8.
  bool String() {
    const char quote = t_[i_++];
    for (;;) {
      const char c = Peek();
      if (i_ >= t_.size() || c == '\n' || c == '\r') return Fail("unterminated string (strings are one line)");
      if (c == quote) {
        ++i_;
        return true;
      }
      if (quote == '"' && c == '\\') {
        const char e = At(i_ + 1);
        if (e == 'u' || e == 'U') {
          const size_t n = e == 'u' ? 4 : 8;
          for (size_t k = 0; k < n; ++k) {
            if (!IsHex(At(i_ + 2 + k))) return Fail("expected hex digits after \\u / \\U");
          }
          i_ += 2 + n;
          continue;
        }
        if (std::string_view("\\\"btnfr").find(e) == std::string_view::npos || e == '\0') {
          return Fail("unknown escape in a string");
        }
        i_ += 2;
        continue;
      }
      if (!Character(/*non_ascii=*/true)) return false;
    }
  }

  // Blank lines, comments and white space inside an array.
  bool Gap() {
    for (;;) {
      Blank();
      if (Peek() == '#' || Peek() == '\n' || Peek() == '\r') {
        if (!EndOfLine()) return false;
        continue;
      }
      if (i_ >= t_.size()) return Fail("unterminated array");
      return true;
    }
  }

  bool EndOfLine() {
    if (Peek() == '#') {
      ++i_;
      while (i_ < t_.size() && Peek() != '\n' && Peek() != '\r') {
        if (!Character(/*non_ascii=*/true)) return false;
      }
    }
    if (Peek() == '\r') ++i_;
    if (i_ >= t_.size()) return true;
    if (Peek() != '\n') return Fail("unexpected character (policy files use a subset of TOML)");
    ++i_;
    return true;
  }

  // One printable character (tab allowed); a non-ASCII character (valid
  // UTF-8, checked in Error) only where `non_ascii` (strings, comments).
  bool Character(bool non_ascii) {
    const auto c = static_cast<unsigned char>(Peek());
    if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
      ++i_;
      return true;
    }
    if (c < 0x80 || !non_ascii) return Fail("control or non-ASCII character outside a string or comment");
    ++i_;
    while ((static_cast<unsigned char>(Peek()) & 0xC0) == 0x80) ++i_;
    return true;
  }

  void Blank() {
    while (Peek() == ' ' || Peek() == '\t') ++i_;
  }
  bool Fail(const char* what) {
    error_ = what;
    return false;
  }
  char At(size_t k) const { return k < t_.size() ? t_[k] : '\0'; }
  char Peek() const { return At(i_); }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
  static bool IsBareKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '-';
  }

  std::string_view t_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace

std::optional<std::string> PolicySubsetError(std::string_view text) { return PolicySubset::Error(text); }

}  // namespace pgsieve::internal
