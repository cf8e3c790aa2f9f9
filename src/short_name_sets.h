// Bit sets over the first bytes of NUL-terminated names, so the walker can
// settle the common case without strlen, hashing or a table probe:
//
//  - NamePrefilter: "could this name be in the set?" from its first three
//    bytes (false positives possible, false negatives never). Column names
//    in attribute notation (t.col) are almost never function names; those
//    that pass the filter take the exact lookup.
//  - ShortNameSet: exactly the names of at most two ASCII bytes in a set
//    ("=", "<>", "||", ...): the common operators.
#ifndef PGSIEVE_SRC_SHORT_NAME_SETS_H_
#define PGSIEVE_SRC_SHORT_NAME_SETS_H_

#include <bitset>
#include <cstdint>
#include <string_view>

namespace pgsieve::internal {

class NamePrefilter {
 public:
  void Add(std::string_view name) {
    const unsigned char c0 = name.size() > 0 ? static_cast<unsigned char>(name[0]) : 0;
    const unsigned char c1 = name.size() > 1 ? static_cast<unsigned char>(name[1]) : 0;
    const unsigned char c2 = name.size() > 2 ? static_cast<unsigned char>(name[2]) : 0;
    bits_.set(Slot(c0, c1, c2));
  }
  // REQUIRES: `name` is NUL-terminated.
  bool MayContain(const char* name) const {
    const auto c0 = static_cast<unsigned char>(name[0]);
    const auto c1 = c0 != 0 ? static_cast<unsigned char>(name[1]) : 0;
    const auto c2 = c1 != 0 ? static_cast<unsigned char>(name[2]) : 0;
    return bits_.test(Slot(c0, c1, c2));
  }

 private:
  static size_t Slot(unsigned c0, unsigned c1, unsigned c2) {
    return ((c0 << 16 | c1 << 8 | c2) * 0x9E3779B1u) >> 16;  // 16 bits
  }
  std::bitset<1 << 16> bits_;
};

class ShortNameSet {
 public:
  // Names longer than two bytes or not ASCII are ignored (never contained).
  void Add(std::string_view name) {
    if (name.empty() || name.size() > 2) return;
    const auto c0 = static_cast<unsigned char>(name[0]);
    const auto c1 = name.size() > 1 ? static_cast<unsigned char>(name[1]) : 0u;
    if (c0 >= 0x80 || c1 >= 0x80 || (name.size() > 1 && c1 == 0)) return;
    bits_.set(c0 << 7 | c1);
  }
  // REQUIRES: `name` is NUL-terminated. Exact: true only for a name of one
  // or two bytes that was added.
  bool Contains(const char* name) const {
    const auto c0 = static_cast<unsigned char>(name[0]);
    if (c0 == 0 || c0 >= 0x80) return false;
    const auto c1 = static_cast<unsigned char>(name[1]);
    if (c1 == 0) return bits_.test(c0 << 7);
    if (c1 >= 0x80 || name[2] != '\0') return false;
    return bits_.test(c0 << 7 | c1);
  }

 private:
  std::bitset<1 << 14> bits_;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_SHORT_NAME_SETS_H_
