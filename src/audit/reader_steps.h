// The first steps the line- and record-based log readers share: get the next
// unit of input, report what is malformed through ReaderOptions, skip it, go
// on. What each reader then makes of the unit stays in the reader.
//
// Thread safety: as the reader that calls them (one thread).
#ifndef PGSIEVE_SRC_AUDIT_READER_STEPS_H_
#define PGSIEVE_SRC_AUDIT_READER_STEPS_H_

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/csv_records.h"
#include "audit/input_file.h"
#include "audit/record_reader.h"

namespace pgsieve::audit {

// The next non-empty CSV record of `records`, split into `fields`, starting
// at *line. Broken records and records that do not split are reported and
// skipped. False at the end of the input.
bool NextCsvFields(CsvRecordAssembler& records, const ReaderOptions& options, std::vector<std::string>* fields,
                   uint64_t* line);

// The next non-blank line of `file` that is a JSON object. Lines that are too
// long or not an object (reported as `not_object`) are skipped. False at the
// end of the input, or after reporting a read error.
bool NextJsonObjectLine(InputFile* file, const ReaderOptions& options, std::string_view not_object,
                        nlohmann::json* object);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_READER_STEPS_H_
