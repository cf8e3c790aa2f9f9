// The jsonlog reader: PostgreSQL 15's log_destination = 'jsonlog', one JSON
// object a line (keys absent when the value is empty).
#include <nlohmann/json.hpp>

#include "audit/log_message.h"
#include "audit/log_time.h"
#include "audit/reader_steps.h"
#include "audit/record_reader.h"

namespace pgsieve::audit {
namespace {

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

class JsonlogReader : public RecordReader {
 public:
  JsonlogReader(InputFile* file, ReaderOptions options) : file_(file), options_(std::move(options)) {}

  bool Next(LogRecord* out) override {
    std::string error, sql;
    nlohmann::json entry;
    while (NextJsonObjectLine(file_, options_, "jsonlog line is not a JSON object", &entry)) {
      const std::string timestamp = StringField(entry, "timestamp");
      const int64_t time = ParseLogTime(timestamp);
      const std::string severity = StringField(entry, "error_severity");
      if (time == kNoTime || severity.empty()) {
        options_.ReportMalformed(file_->line_number(), "jsonlog entry without \"timestamp\" or \"error_severity\"");
        continue;
      }
      const std::string message = StringField(entry, "message");
      const std::string query = StringField(entry, "statement");
      std::string session = StringField(entry, "session_id");
      if (session.empty()) session = StringField(entry, "pid");
      switch (StatementOfEntry(LogEntry{severity, message, query, session}, &dedup_, &sql, &error)) {
        case EntryKind::kOther:
          continue;
        case EntryKind::kBad:
          options_.ReportMalformed(file_->line_number(), error);
          continue;
        case EntryKind::kStatement:
          break;
      }
      *out = LogRecord{};
      CapStatement(&sql, options_.max_statement_bytes);
      out->sql = std::move(sql);
      out->user = StringField(entry, "user");
      out->database = StringField(entry, "dbname");
      out->application = StringField(entry, "application_name");
      out->timestamp = timestamp;
      out->time_ms = time;
      out->file = options_.file_index;
      out->line = file_->line_number();
      return true;
    }
    return false;
  }

 private:
  InputFile* file_;
  ReaderOptions options_;
  SessionDeduper dedup_;
};

}  // namespace

std::unique_ptr<RecordReader> NewJsonlogReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<JsonlogReader>(file, std::move(options));
}

}  // namespace pgsieve::audit
