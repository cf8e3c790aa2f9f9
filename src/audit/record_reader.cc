#include "audit/record_reader.h"

namespace pgsieve::audit {

void CapStatement(std::string* sql, size_t max) {
  if (sql->size() > max) sql->resize(max);
}

std::unique_ptr<RecordReader> OpenRecordReader(LogFormat format, InputFile* file, ReaderOptions options) {
  switch (format) {
    case LogFormat::kCsvlog:
      return NewCsvlogReader(file, std::move(options));
    case LogFormat::kJsonlog:
      return NewJsonlogReader(file, std::move(options));
    case LogFormat::kStatStatementsCsv:
      return NewStatStatementsCsvReader(file, std::move(options));
    case LogFormat::kStatStatementsJson:
      return NewStatStatementsJsonReader(file, std::move(options));
    case LogFormat::kJsonl:
      return NewJsonlReader(file, std::move(options));
    case LogFormat::kSql:
    case LogFormat::kAuto:  // REQUIRES says otherwise; text is the safe reading
    case LogFormat::kStatStatements:
      return NewSqlFileReader(file, std::move(options));
  }
  return NewSqlFileReader(file, std::move(options));
}

}  // namespace pgsieve::audit
