// The pg_stat_statements readers: an export of the view as CSV with a header
// (COPY (SELECT query, calls, ...) TO STDOUT WITH CSV HEADER) or as JSON (an
// array of objects, or one object a line). `query` is required; `calls`
// (default 1) weights the record; the user and database are taken from the
// first column present of username/usename/rolname/user/userid and
// datname/database/dbname/dbid.
#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <vector>

#include "audit/csv_records.h"
#include "audit/json_objects.h"
#include "audit/reader_steps.h"
#include "audit/record_reader.h"

namespace pgsieve::audit {
namespace {

constexpr std::array<const char*, 5> kUserColumns = {"username", "usename", "rolname", "user", "userid"};
constexpr std::array<const char*, 4> kDatabaseColumns = {"datname", "database", "dbname", "dbid"};

bool ParseCalls(std::string_view text, uint64_t* calls) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *calls);
  return ec == std::errc() && end == text.data() + text.size();
}

class StatStatementsCsvReader : public RecordReader {
 public:
  StatStatementsCsvReader(InputFile* file, ReaderOptions options)
      : options_(std::move(options)), records_(file, 2 * options_.max_statement_bytes + (1u << 20)) {}

  bool Next(LogRecord* out) override {
    uint64_t line = 0;
    while (!gave_up_ && NextCsvFields(records_, options_, &fields_, &line)) {
      if (query_ < 0) {
        ReadHeader(line);
        continue;
      }
      if (fields_.size() != columns_) {
        options_.ReportMalformed(line, "record with " + std::to_string(fields_.size()) + " fields; the header has " +
                         std::to_string(columns_));
        continue;
      }
      uint64_t calls = 1;
      if (calls_ >= 0 && !ParseCalls(fields_[calls_], &calls)) {
        options_.ReportMalformed(line, "calls is not a non-negative integer: \"" + fields_[calls_].substr(0, 40) + "\"");
        continue;
      }
      if (calls == 0) continue;  // tracked but never completed: nothing ran
      *out = LogRecord{};
      out->sql = std::move(fields_[query_]);
      CapStatement(&out->sql, options_.max_statement_bytes);
      if (user_ >= 0) out->user = fields_[user_];
      if (database_ >= 0) out->database = fields_[database_];
      out->calls = calls;
      out->file = options_.file_index;
      out->line = line;
      return true;
    }
    return false;
  }

 private:
  void ReadHeader(uint64_t line) {
    columns_ = fields_.size();
    auto find = [&](std::string_view name) {
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i] == name) return static_cast<int>(i);
      }
      return -1;
    };
    query_ = find("query");
    calls_ = find("calls");
    for (const char* c : kUserColumns) {
      if (user_ < 0) user_ = find(c);
    }
    for (const char* c : kDatabaseColumns) {
      if (database_ < 0) database_ = find(c);
    }
    if (query_ < 0) {
      options_.ReportMalformed(line, "pg_stat_statements CSV without a \"query\" column in its header line; file skipped");
      gave_up_ = true;
    }
  }

  ReaderOptions options_;
  CsvRecordAssembler records_;
  std::vector<std::string> fields_;
  size_t columns_ = 0;
  int query_ = -1, calls_ = -1, user_ = -1, database_ = -1;
  bool gave_up_ = false;
};

std::string Scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return "";
}

class StatStatementsJsonReader : public RecordReader {
 public:
  StatStatementsJsonReader(InputFile* file, ReaderOptions options)
      : options_(std::move(options)), objects_(file, 6 * options_.max_statement_bytes + (1u << 20)) {}

  bool Next(LogRecord* out) override {
    std::string text, error;
    uint64_t line = 0;
    while (true) {
      switch (objects_.Next(&text, &line, &error)) {
        case JsonObjectSplitter::kEnd:
          return false;
        case JsonObjectSplitter::kBroken:
          options_.ReportMalformed(line, error);
          continue;
        case JsonObjectSplitter::kObject:
          break;
      }
      const nlohmann::json object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (object.is_discarded() || !object.is_object()) {
        options_.ReportMalformed(line, "not a valid JSON object");
        continue;
      }
      auto query = object.find("query");
      if (query == object.end() || !query->is_string()) {
        options_.ReportMalformed(line, "object without a string \"query\"");
        continue;
      }
      uint64_t calls = 1;
      if (auto c = object.find("calls"); c != object.end()) {
        if (c->is_number_unsigned()) {
          calls = c->get<uint64_t>();
        } else if (c->is_number_integer() && c->get<int64_t>() >= 0) {
          calls = static_cast<uint64_t>(c->get<int64_t>());
        } else if (!(c->is_string() && ParseCalls(c->get_ref<const std::string&>(), &calls))) {
          options_.ReportMalformed(line, "\"calls\" is not a non-negative integer");
          continue;
        }
      }
      if (calls == 0) continue;
      *out = LogRecord{};
      out->sql = query->get<std::string>();
      CapStatement(&out->sql, options_.max_statement_bytes);
      for (const char* c : kUserColumns) {
        if (auto it = object.find(c); out->user.empty() && it != object.end()) out->user = Scalar(*it);
      }
      for (const char* c : kDatabaseColumns) {
        if (auto it = object.find(c); out->database.empty() && it != object.end()) out->database = Scalar(*it);
      }
      out->calls = calls;
      out->file = options_.file_index;
      out->line = line;
      return true;
    }
  }

 private:
  ReaderOptions options_;
  JsonObjectSplitter objects_;
};

}  // namespace

std::unique_ptr<RecordReader> NewStatStatementsCsvReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<StatStatementsCsvReader>(file, std::move(options));
}

std::unique_ptr<RecordReader> NewStatStatementsJsonReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<StatStatementsJsonReader>(file, std::move(options));
}

}  // namespace pgsieve::audit
