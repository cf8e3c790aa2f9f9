#include "raw_parse.h"

#include "text_position.h"

namespace pgsieve::internal {

RawParse::RawParse(const char* sql) : context_(pg_query_enter_memory_context()) {
  PgQueryInternalParsetreeAndError r = pg_query_raw_parse(sql);
  tree_ = r.tree;
  if (r.error != nullptr) {
    error_message_ = ValidUtf8(r.error->message != nullptr ? r.error->message : "syntax error");
    if (error_message_.empty()) error_message_ = "syntax error";
    error_cursor_ = r.error->cursorpos;
    tree_ = nullptr;
    pg_query_free_error(r.error);
  }
  free(r.stderr_buffer);
}

RawParse::~RawParse() { pg_query_exit_memory_context(context_); }

}  // namespace pgsieve::internal
