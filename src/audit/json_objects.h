// JsonObjectSplitter: cuts a stream holding JSON objects — a JSON array of
// objects (what `json_agg` or most export tools write) or objects one after
// another (JSON Lines) — into one object's text at a time, without holding
// the whole document: the pg_stat_statements JSON reader parses each object
// on its own, so memory is bounded by one object.
//
// Thread safety: none; belongs to one reader.
#ifndef PGSIEVE_SRC_AUDIT_JSON_OBJECTS_H_
#define PGSIEVE_SRC_AUDIT_JSON_OBJECTS_H_

#include <cstdint>
#include <string>

#include "audit/input_file.h"

namespace pgsieve::audit {

class JsonObjectSplitter {
 public:
  JsonObjectSplitter(InputFile* file, size_t max_object_bytes) : file_(file), max_object_bytes_(max_object_bytes) {}

  enum Result { kObject, kBroken, kEnd };
  // kObject: *object holds the next top-level (or array element) object and
  // *line the line where it starts. kBroken: something at *line is not an
  // object or is too long (*error); call again to go on. kEnd: no more input.
  Result Next(std::string* object, uint64_t* line, std::string* error);

 private:
  bool Get(char* c);  // the next byte; false at the end

  InputFile* file_;
  size_t max_object_bytes_;
  char buf_[1 << 16];
  long len_ = 0;
  long pos_ = 0;
  uint64_t line_ = 1;
  int array_depth_ = 0;  // the enclosing array(s) of the objects
  bool stream_error_reported_ = false;
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_JSON_OBJECTS_H_
