// RawParse: one call of PostgreSQL's raw parser, with its memory released
// when the object goes out of scope.
//
// The tree lives in a per-thread memory context that is reset when the
// object is destroyed (parser_call.h); nodes must not outlive the RawParse
// object.
#ifndef PGSIEVE_SRC_RAW_PARSE_H_
#define PGSIEVE_SRC_RAW_PARSE_H_

#include <string>

#include "parser_call.h"
#include "pg_nodes.h"

namespace pgsieve::internal {

class RawParse {
 public:
  // REQUIRES: `sql` is NUL-terminated (a std::string's c_str()).
  explicit RawParse(const char* sql);
  ~RawParse();
  RawParse(const RawParse&) = delete;
  RawParse& operator=(const RawParse&) = delete;

  bool ok() const { return call_.error == nullptr; }
  // PostgreSQL's error message (valid UTF-8) and its 1-based character
  // position (0 = none).
  std::string error_message() const;
  int error_cursor() const;

  // List of RawStmt*; NIL for empty input. Valid while this object lives.
  const List* statements() const { return reinterpret_cast<const List*>(call_.tree); }

 private:
  PgsieveParserCall call_;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_RAW_PARSE_H_
