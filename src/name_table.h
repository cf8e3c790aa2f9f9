// NameTable: a read-only map from short names (function and operator names)
// to a byte of flags, built once per policy and probed on every call and
// column reference the walker meets.
//
// Open addressing with linear probing over a power-of-two table at most half
// full, and FNV-1a: for names of a few bytes this is several times cheaper
// than std::unordered_map's hashing and bucket chains. Keys are views: the
// strings they point to must outlive the table.
#ifndef PGSIEVE_SRC_NAME_TABLE_H_
#define PGSIEVE_SRC_NAME_TABLE_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pgsieve::internal {

class NameTable {
 public:
  NameTable() = default;
  explicit NameTable(const std::unordered_map<std::string_view, uint8_t>& entries) {
    size_t capacity = 16;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const auto& [key, flags] : entries) {
      size_t i = Hash(key) & mask_;
      while (slots_[i].used) i = (i + 1) & mask_;
      slots_[i] = Slot{key, flags, true};
    }
  }

  // The flags of `key`, or 0 when it is not in the table.
  uint8_t Find(std::string_view key) const {
    if (slots_.empty()) return 0;
    for (size_t i = Hash(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (!s.used) return 0;
      if (s.key == key) return s.flags;
    }
  }

 private:
  struct Slot {
    std::string_view key;
    uint8_t flags = 0;
    bool used = false;
  };
  // A few loads whatever the length (the first and last 8, 4 or 1 bytes,
  // and the length), mixed by multiplication: names are short, and a
  // collision only costs a probe. FNV-1a's byte loop cost ~5 instructions
  // per byte on every column reference.
  static uint64_t Hash(std::string_view s) {
    const size_t n = s.size();
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    uint64_t a;
    uint64_t b;
    if (n >= 8) {
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t x;
      uint32_t y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x;
      b = y;
    } else if (n > 0) {
      a = (uint64_t{p[0]} << 16) | (uint64_t{p[n / 2]} << 8) | p[n - 1];
      b = 0;
    } else {
      a = 0;
      b = 0;
    }
    uint64_t h = (a ^ 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    h ^= (b + n) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_NAME_TABLE_H_
