// RecordReader: the interface every audit input format implements, and the
// factory that picks one for a format. A reader turns an InputFile into
// LogRecords one at a time (streaming: it never holds more than one record),
// and reports what it cannot read through its Malformed callback instead of
// stopping.
//
//   auto reader = OpenRecordReader(LogFormat::kCsvlog, &file, options);
//   LogRecord r;
//   while (reader->Next(&r)) ...
//
// Thread safety: none; one thread owns a reader and its InputFile.
#ifndef PGSIEVE_SRC_AUDIT_RECORD_READER_H_
#define PGSIEVE_SRC_AUDIT_RECORD_READER_H_

#include <cstddef>
#include <functional>
#include <memory>

#include "audit/input_file.h"
#include "audit/log_format.h"
#include "audit/log_record.h"

namespace pgsieve::audit {

struct ReaderOptions {
  // A statement longer than this is cut here: the firewall rejects it as
  // too-large either way, and the reader's memory stays bounded. Set it to the
  // policy's max_statement_bytes + 1. Default: 262145.
  size_t max_statement_bytes = 262145;
  // Called for every record that cannot be read (file index and line filled).
  std::function<void(Malformed)> on_malformed;
  // The index the records and malformed reports carry.
  uint32_t file_index = 0;

  // Reports a malformed record at `line` of this file (no-op without a callback).
  void ReportMalformed(uint64_t line, std::string reason) const {
    if (on_malformed) on_malformed(Malformed{file_index, line, std::move(reason)});
  }
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The next statement; false at the end of the input (a stream error is
  // reported as malformed first).
  virtual bool Next(LogRecord* record) = 0;
};

// REQUIRES: format is not kAuto (DetectFormat first); `file` outlives the reader.
std::unique_ptr<RecordReader> OpenRecordReader(LogFormat format, InputFile* file, ReaderOptions options);

// The readers, one per format family (each in its own file).
std::unique_ptr<RecordReader> NewCsvlogReader(InputFile* file, ReaderOptions options);
std::unique_ptr<RecordReader> NewJsonlogReader(InputFile* file, ReaderOptions options);
std::unique_ptr<RecordReader> NewStatStatementsCsvReader(InputFile* file, ReaderOptions options);
std::unique_ptr<RecordReader> NewStatStatementsJsonReader(InputFile* file, ReaderOptions options);
std::unique_ptr<RecordReader> NewSqlFileReader(InputFile* file, ReaderOptions options);
std::unique_ptr<RecordReader> NewJsonlReader(InputFile* file, ReaderOptions options);

// Cuts `sql` to `max` bytes (the firewall then rejects it as too-large).
void CapStatement(std::string* sql, size_t max);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_RECORD_READER_H_
