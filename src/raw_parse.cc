#include "raw_parse.h"

#include "text_position.h"

namespace pgsieve::internal {

RawParse::RawParse(const char* sql) { pgsieve_parser_call(sql, &call_); }

RawParse::~RawParse() { pgsieve_parser_release(&call_); }

std::string RawParse::error_message() const {
  if (call_.error == nullptr) return {};
  // ErrorData as PostgreSQL 15's utils/elog.h lays it out (the self-check
  // compares this with pg_query_raw_parse's copy of the same error).
  const auto* error = reinterpret_cast<const ErrorData*>(call_.error);
  std::string message = ValidUtf8(error->message != nullptr ? error->message : "");
  return message.empty() ? "syntax error" : message;
}

int RawParse::error_cursor() const {
  return call_.error != nullptr ? reinterpret_cast<const ErrorData*>(call_.error)->cursorpos : 0;
}

}  // namespace pgsieve::internal
