// RawParse: one call of libpg_query's raw parser, with its memory released
// when the object goes out of scope.
//
// The tree lives in a per-thread memory context that libpg_query creates on
// enter and frees whole on exit; nodes must not outlive the RawParse object.
#ifndef PGSIEVE_SRC_RAW_PARSE_H_
#define PGSIEVE_SRC_RAW_PARSE_H_

#include <string>

#include "pg_nodes.h"

namespace pgsieve::internal {

class RawParse {
 public:
  // REQUIRES: `sql` is NUL-terminated (a std::string's c_str()).
  explicit RawParse(const char* sql);
  ~RawParse();
  RawParse(const RawParse&) = delete;
  RawParse& operator=(const RawParse&) = delete;

  bool ok() const { return error_message_.empty(); }
  // PostgreSQL's error message and its 1-based character position (0 = none).
  const std::string& error_message() const { return error_message_; }
  int error_cursor() const { return error_cursor_; }

  // List of RawStmt*; NIL for empty input. Valid while this object lives.
  const List* statements() const { return tree_; }

 private:
  MemoryContext context_;
  List* tree_ = nullptr;
  std::string error_message_;
  int error_cursor_ = 0;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_RAW_PARSE_H_
