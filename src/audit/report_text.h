// The audit's human summary, drawn from the JSON report (report_json.h):
// totals, rejections by reason, by user / application / database, the top
// rejected and capped statement shapes with one normalized example each, the
// time range, the inputs and the malformed records.
//
// Thread safety: pure function.
#ifndef PGSIEVE_SRC_AUDIT_REPORT_TEXT_H_
#define PGSIEVE_SRC_AUDIT_REPORT_TEXT_H_

#include <nlohmann/json.hpp>

#include <ostream>

namespace pgsieve::audit {

void WriteTextSummary(const nlohmann::ordered_json& report, std::ostream& out);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_REPORT_TEXT_H_
