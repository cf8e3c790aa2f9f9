#include "audit/json_objects.h"

namespace pgsieve::audit {

bool JsonObjectSplitter::Get(char* c) {
  if (pos_ == len_) {
    len_ = file_->Read(buf_, sizeof buf_);
    pos_ = 0;
    if (len_ <= 0) {
      len_ = 0;
      return false;
    }
  }
  *c = buf_[pos_++];
  if (*c == '\n') ++line_;
  return true;
}

JsonObjectSplitter::Result JsonObjectSplitter::Next(std::string* object, uint64_t* line, std::string* error) {
  char c;
  // Between objects: white space, commas, the enclosing '[' and ']'.
  while (true) {
    if (!Get(&c)) {
      if (!file_->error().empty() && !stream_error_reported_) {
        stream_error_reported_ = true;
        *line = line_;
        *error = file_->error();
        return kBroken;
      }
      return kEnd;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') continue;
    if (c == '[') {
      ++array_depth_;
      continue;
    }
    if (c == ']' && array_depth_ > 0) {
      --array_depth_;
      continue;
    }
    if (c == '{') break;
    // Anything else is not an object: skip to the next line or object.
    *line = line_;
    *error = std::string("expected a JSON object, found '") + (c >= 0x20 && c < 0x7f ? std::string(1, c) : "?") + "'";
    while (Get(&c) && c != '\n' && c != '{') {
    }
    if (c == '{') {
      --pos_;  // let the next call start at this object
    }
    return kBroken;
  }
  *line = line_;
  object->assign(1, '{');
  int depth = 1;
  bool in_string = false, escape = false, too_long = false;
  while (depth > 0) {
    if (!Get(&c)) {
      *error = "JSON object not closed at the end of the input";
      if (!file_->error().empty()) {
        stream_error_reported_ = true;
        *error += " (" + file_->error() + ")";
      }
      return kBroken;
    }
    if (!too_long) {
      object->push_back(c);
      if (object->size() > max_object_bytes_) {
        too_long = true;
        object->clear();
      }
    }
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  if (too_long) {
    *error = "JSON object longer than " + std::to_string(max_object_bytes_) + " bytes";
    return kBroken;
  }
  return kObject;
}

}  // namespace pgsieve::audit
