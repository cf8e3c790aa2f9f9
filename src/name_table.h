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
  static uint64_t Hash(std::string_view s) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    return h ^ (h >> 29);
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_NAME_TABLE_H_
