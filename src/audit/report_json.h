// The audit report as JSON: the one source every other rendering (the human
// summary, the HTML report) is drawn from. The schema is documented in
// README.md ("The audit report"); "schema_version" changes only when a key
// is removed or changes meaning — new keys may be added at any version.
//
// Thread safety: pure function.
#ifndef PGSIEVE_SRC_AUDIT_REPORT_JSON_H_
#define PGSIEVE_SRC_AUDIT_REPORT_JSON_H_

#include <nlohmann/json.hpp>

#include <string>

#include "audit/audit_stats.h"
#include "audit/pipeline.h"
#include "pgsieve/policy.h"

namespace pgsieve::audit {

constexpr int kReportSchemaVersion = 1;

struct ReportContext {
  std::string policy_source;  // a path, or "<default policy>"
  const Policy* policy = nullptr;
  bool show_literals = false;
  size_t top = 20;  // entries of top_rejected / top_capped / the by_* lists
  int jobs = 1;
};

nlohmann::ordered_json BuildReport(const AuditStats& stats, const PipelineResult& pipeline, const ReportContext& context);

// `report` as text for a file: pretty-printed, invalid UTF-8 replaced.
std::string DumpReport(const nlohmann::ordered_json& report);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_REPORT_JSON_H_
