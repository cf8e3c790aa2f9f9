// The csvlog reader: PostgreSQL's log_destination = 'csvlog' (9.0 to 15+:
// 23 to 26 columns; the ones read here have kept their positions).
#include <vector>

#include "audit/csv_records.h"
#include "audit/log_message.h"
#include "audit/log_time.h"
#include "audit/reader_steps.h"
#include "audit/record_reader.h"

namespace pgsieve::audit {
namespace {

enum Column {
  kLogTime = 0,
  kUserName = 1,
  kDatabaseName = 2,
  kProcessId = 3,
  kSessionId = 5,
  kErrorSeverity = 11,
  kMessage = 13,
  kQuery = 19,
  kApplicationName = 22,
  kMinColumns = 23,
};

class CsvlogReader : public RecordReader {
 public:
  CsvlogReader(InputFile* file, ReaderOptions options)
      : options_(std::move(options)),
        // Statements may be long and multi-line; the record holds one whole
        // message, one query and a little more.
        records_(file, 2 * options_.max_statement_bytes + (1u << 20), StartsWithLogTime) {}

  bool Next(LogRecord* out) override {
    std::string error, sql;
    uint64_t line = 0;
    while (NextCsvFields(records_, options_, &fields_, &line)) {
      if (fields_.size() < kMinColumns) {
        options_.ReportMalformed(line, "csvlog record with " + std::to_string(fields_.size()) + " fields (expected at least 23)");
        continue;
      }
      const int64_t time = ParseLogTime(fields_[kLogTime]);
      if (time == kNoTime) {
        options_.ReportMalformed(line, "csvlog record whose first field is not a timestamp");
        continue;
      }
      LogEntry entry{fields_[kErrorSeverity], fields_[kMessage], fields_[kQuery],
                     fields_[kSessionId].empty() ? fields_[kProcessId] : fields_[kSessionId]};
      switch (StatementOfEntry(entry, &dedup_, &sql, &error)) {
        case EntryKind::kOther:
          continue;
        case EntryKind::kBad:
          options_.ReportMalformed(line, error);
          continue;
        case EntryKind::kStatement:
          break;
      }
      *out = LogRecord{};
      CapStatement(&sql, options_.max_statement_bytes);
      out->sql = std::move(sql);
      out->user = fields_[kUserName];
      out->database = fields_[kDatabaseName];
      out->application = fields_[kApplicationName];
      out->timestamp = fields_[kLogTime];
      out->time_ms = time;
      out->file = options_.file_index;
      out->line = line;
      return true;
    }
    return false;
  }

 private:
  ReaderOptions options_;
  CsvRecordAssembler records_;
  SessionDeduper dedup_;
  std::vector<std::string> fields_;
};

}  // namespace

std::unique_ptr<RecordReader> NewCsvlogReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<CsvlogReader>(file, std::move(options));
}

}  // namespace pgsieve::audit
