#include "string_literals.h"

#include <pg_query.h>

#include <cstdint>
#include <string_view>

namespace pgsieve::internal {
namespace {

// PgQuery__Token value for a string constant (pg_query.proto: SCONST = 261).
constexpr uint64_t kTokenStringConstant = 261;

// A reader for the two small protobuf messages pg_query_scan returns:
//   ScanResult { int32 version = 1; repeated ScanToken tokens = 2; }
//   ScanToken  { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5; }
// (field numbers of libpg_query 15-4.0.0's pg_query.proto; the golden tests
// fail if they drift, because backslash literals would then pass).
// Debian ships libpg_query's protobuf-c runtime inside the library but not
// its headers; these two messages need only varints and lengths.
class WireReader {
 public:
  WireReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ >= end_; }
  bool Varint(uint64_t* out) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      const uint8_t b = *p_++;
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }
  bool Bytes(uint64_t len, WireReader* sub) {
    if (len > static_cast<uint64_t>(end_ - p_)) return false;
    *sub = WireReader(p_, static_cast<size_t>(len));
    p_ += len;
    return true;
  }
  bool Skip(uint64_t wire_type) {
    uint64_t v;
    switch (wire_type) {
      case 0: return Varint(&v);
      case 1: return Advance(8);
      case 2: return Varint(&v) && Advance(v);
      case 5: return Advance(4);
      default: return false;
    }
  }

 private:
  bool Advance(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - p_)) return false;
    p_ += n;
    return true;
  }
  const uint8_t* p_;
  const uint8_t* end_;
};

struct Token {
  uint64_t start = 0, end = 0, kind = 0;
};

bool ReadToken(WireReader r, Token* t) {
  while (!r.done()) {
    uint64_t key, value;
    if (!r.Varint(&key)) return false;
    if ((key & 7) != 0) {
      if (!r.Skip(key & 7)) return false;
      continue;
    }
    if (!r.Varint(&value)) return false;
    switch (key >> 3) {
      case 1: t->start = value; break;
      case 2: t->end = value; break;
      case 4: t->kind = value; break;
      default: break;
    }
  }
  return true;
}

void Add(Findings& findings, int offset, std::string message) {
  findings.push_back(Finding{"ambiguous-string-literal", std::move(message), offset});
}

}  // namespace

void FindAmbiguousStringLiterals(std::string_view sql, Findings& findings) {
  PgQueryScanResult scan = pg_query_scan(sql.data());
  bool ok = scan.error == nullptr;
  if (ok) {
    WireReader r(reinterpret_cast<const uint8_t*>(scan.pbuf.data), scan.pbuf.len);
    while (ok && !r.done()) {
      uint64_t key;
      ok = r.Varint(&key);
      if (!ok) break;
      if ((key >> 3) != 2 || (key & 7) != 2) {
        ok = r.Skip(key & 7);
        continue;
      }
      uint64_t len;
      WireReader sub(nullptr, 0);
      Token t;
      ok = r.Varint(&len) && r.Bytes(len, &sub) && ReadToken(sub, &t);
      if (!ok || t.kind != kTokenStringConstant || t.start >= t.end || t.end > sql.size()) continue;
      const std::string_view token(sql.data() + t.start, t.end - t.start);
      const bool plain = token[0] == '\'' || ((token[0] == 'n' || token[0] == 'N') && token.size() > 1 && token[1] == '\'');
      if (plain && token.find('\\') != std::string_view::npos) {
        Add(findings, static_cast<int>(t.start),
            "string literal holds a backslash: a server with standard_conforming_strings = off reads it as an "
            "escape and sees a different statement; write E'...' with doubled backslashes, or set "
            "standard_conforming_strings = true in the policy if the server guarantees it");
      }
    }
  }
  if (!ok) {
    // The statement parsed but its tokens cannot be read: fail closed.
    Add(findings, 0, "could not scan the statement's string literals; not allowed");
  }
  pg_query_free_scan_result(scan);
}

}  // namespace pgsieve::internal
