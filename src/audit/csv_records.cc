#include "audit/csv_records.h"

#include <algorithm>

namespace pgsieve::audit {

bool SplitCsv(std::string_view record, std::vector<std::string>* fields, std::string* error) {
  fields->clear();
  std::string field;
  size_t i = 0;
  const size_t n = record.size();
  while (true) {
    field.clear();
    if (i < n && record[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        const char c = record[i++];
        if (c != '"') {
          field.push_back(c);
        } else if (i < n && record[i] == '"') {
          field.push_back('"');
          ++i;
        } else {
          closed = true;
          break;
        }
      }
      if (!closed) {
        *error = "unterminated quoted field " + std::to_string(fields->size() + 1);
        return false;
      }
      if (i < n && record[i] != ',') {
        *error = "text after the closing quote of field " + std::to_string(fields->size() + 1);
        return false;
      }
    } else {
      const size_t comma = record.find(',', i);
      const size_t end = comma == std::string_view::npos ? n : comma;
      field.assign(record.substr(i, end - i));
      i = end;
    }
    fields->push_back(field);
    if (i >= n) return true;
    ++i;  // the comma
    if (i == n) {
      fields->emplace_back();  // a trailing comma: one more, empty field
      return true;
    }
  }
}

CsvRecordAssembler::Result CsvRecordAssembler::Next(std::string* record, uint64_t* line, std::string* error) {
  std::string text;
  bool odd = false;  // inside a quoted field
  bool started = false;
  bool too_long = false;
  while (true) {
    std::string current;
    uint64_t current_line = 0;
    InputFile::LineResult r;
    if (has_pending_) {
      current.swap(pending_);
      current_line = pending_line_;
      has_pending_ = false;
      r = InputFile::kLine;
    } else {
      r = file_->ReadLine(&current);
      current_line = file_->line_number();
    }
    if (r == InputFile::kEnd || r == InputFile::kError) {
      if (r == InputFile::kError && !stream_error_reported_) {
        stream_error_reported_ = true;
        *line = file_->line_number() + 1;
        *error = file_->error();
        if (started) *error = "record cut short: " + *error;
        return kBroken;
      }
      if (started) {
        *error = too_long ? "record longer than " + std::to_string(max_record_bytes_) + " bytes"
                          : "unterminated quoted field at the end of the input";
        return kBroken;
      }
      return kEnd;
    }
    if (!started) {
      if (resync_ && starts_record_ && (r != InputFile::kLine || !starts_record_(current))) continue;
      resync_ = false;
      started = true;
      *line = current_line;
    }
    if (r == InputFile::kTooLong) {
      too_long = true;
    } else {
      for (char c : current) odd ^= (c == '"');
      if (!too_long) {
        if (text.size() + current.size() + 1 > max_record_bytes_) {
          too_long = true;
          text.clear();
        } else {
          if (text.size() > 0 || current_line != *line) text.push_back('\n');
          text += current;
        }
      }
    }
    if (!odd) {
      if (too_long) {
        *error = "record longer than " + std::to_string(max_record_bytes_) + " bytes";
        resync_ = true;
        return kBroken;
      }
      record->swap(text);
      return kRecord;
    }
    if (too_long && starts_record_) {
      // An unterminated quote would otherwise swallow the rest of the file:
      // give up on this record at the next line that can start one.
      while (true) {
        std::string next;
        const InputFile::LineResult nr = file_->ReadLine(&next);
        if (nr == InputFile::kEnd || nr == InputFile::kError) break;
        if (nr == InputFile::kLine && starts_record_(next)) {
          pending_.swap(next);
          pending_line_ = file_->line_number();
          has_pending_ = true;
          break;
        }
      }
      *error = "record longer than " + std::to_string(max_record_bytes_) + " bytes (or an unterminated quote)";
      return kBroken;
    }
  }
}

}  // namespace pgsieve::audit
