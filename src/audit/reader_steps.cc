#include "audit/reader_steps.h"

#include <nlohmann/json.hpp>

namespace pgsieve::audit {

bool NextCsvFields(CsvRecordAssembler& records, const ReaderOptions& options, std::vector<std::string>* fields,
                   uint64_t* line) {
  std::string record, error;
  while (true) {
    switch (records.Next(&record, line, &error)) {
      case CsvRecordAssembler::kEnd:
        return false;
      case CsvRecordAssembler::kBroken:
        options.ReportMalformed(*line, error);
        continue;
      case CsvRecordAssembler::kRecord:
        break;
    }
    if (record.empty()) continue;
    if (!SplitCsv(record, fields, &error)) {
      options.ReportMalformed(*line, error);
      continue;
    }
    return true;
  }
}

bool NextJsonObjectLine(InputFile* file, const ReaderOptions& options, std::string_view not_object,
                        nlohmann::json* object) {
  std::string line;
  while (true) {
    const InputFile::LineResult r = file->ReadLine(&line);
    if (r == InputFile::kEnd) return false;
    if (r == InputFile::kError) {
      options.ReportMalformed(file->line_number() + 1, file->error());
      return false;
    }
    if (r == InputFile::kTooLong) {
      options.ReportMalformed(file->line_number(), "line too long");
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    *object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object->is_discarded() || !object->is_object()) {
      options.ReportMalformed(file->line_number(), std::string(not_object));
      continue;
    }
    return true;
  }
}

}  // namespace pgsieve::audit
