// The JSON Lines reader: the requests of `pgsieve check --jsonl`
// ({"id": ..., "sql": "..."}), so what an executor sent can be audited as it
// was logged. Optional keys fill the report's breakdowns: "user",
// "database", "application", "timestamp" (or "time").
#include <nlohmann/json.hpp>

#include "audit/log_time.h"
#include "audit/reader_steps.h"
#include "audit/record_reader.h"

namespace pgsieve::audit {
namespace {

std::string OptionalString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

class JsonlReader : public RecordReader {
 public:
  JsonlReader(InputFile* file, ReaderOptions options) : file_(file), options_(std::move(options)) {}

  bool Next(LogRecord* out) override {
    nlohmann::json request;
    while (NextJsonObjectLine(file_, options_, "line is not a JSON object", &request)) {
      auto sql = request.find("sql");
      if (sql == request.end() || !sql->is_string()) {
        options_.ReportMalformed(file_->line_number(), "object without a string \"sql\"");
        continue;
      }
      *out = LogRecord{};
      out->sql = sql->get<std::string>();
      CapStatement(&out->sql, options_.max_statement_bytes);
      out->user = OptionalString(request, "user");
      out->database = OptionalString(request, "database");
      out->application = OptionalString(request, "application");
      out->timestamp = OptionalString(request, "timestamp");
      if (out->timestamp.empty()) out->timestamp = OptionalString(request, "time");
      out->time_ms = ParseLogTime(out->timestamp);
      if (out->time_ms == kNoTime) out->timestamp.clear();
      out->file = options_.file_index;
      out->line = file_->line_number();
      return true;
    }
    return false;
  }

 private:
  InputFile* file_;
  ReaderOptions options_;
};

}  // namespace

std::unique_ptr<RecordReader> NewJsonlReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<JsonlReader>(file, std::move(options));
}

}  // namespace pgsieve::audit
