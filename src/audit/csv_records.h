// CSV as PostgreSQL writes it (csvlog, COPY ... WITH CSV): fields separated by
// ',', quoted with '"' when they hold a comma, quote or newline, a quote
// inside doubled. A quoted field may span lines, so records are assembled
// from lines by quote parity.
//
// Thread safety: SplitCsv is pure; a CsvRecordAssembler belongs to one reader.
#ifndef PGSIEVE_SRC_AUDIT_CSV_RECORDS_H_
#define PGSIEVE_SRC_AUDIT_CSV_RECORDS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/input_file.h"

namespace pgsieve::audit {

// Splits one record into fields. False (with *error set) when a quoted field
// is not closed or text follows a closing quote.
bool SplitCsv(std::string_view record, std::vector<std::string>* fields, std::string* error);

// Reads whole CSV records from an InputFile.
class CsvRecordAssembler {
 public:
  // `starts_record`, when given, tells whether a line can begin a record:
  // after a broken record the assembler skips to such a line, so one bad
  // record costs one malformed report rather than one per line.
  CsvRecordAssembler(InputFile* file, size_t max_record_bytes,
                     std::function<bool(std::string_view)> starts_record = nullptr)
      : file_(file), max_record_bytes_(max_record_bytes), starts_record_(std::move(starts_record)) {}

  enum Result { kRecord, kBroken, kEnd };
  // kRecord: *record holds the next record (lines joined with "\n"), *line
  // its first line. kBroken: the record at *line could not be read (*error
  // says why: too long, unterminated quote at the end, stream error); call
  // again to go on. kEnd: no more input.
  Result Next(std::string* record, uint64_t* line, std::string* error);

 private:
  InputFile* file_;
  size_t max_record_bytes_;
  std::function<bool(std::string_view)> starts_record_;
  std::string pending_;       // a line read ahead while resynchronising
  bool has_pending_ = false;
  uint64_t pending_line_ = 0;
  bool resync_ = false;
  bool stream_error_reported_ = false;
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_CSV_RECORDS_H_
