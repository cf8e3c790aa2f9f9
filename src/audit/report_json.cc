#include "audit/report_json.h"

#include <algorithm>
#include <vector>

#include "audit/log_time.h"

namespace pgsieve::audit {
namespace {

std::string_view ModeName(Mode m) {
  switch (m) {
    case Mode::kEnforce:
      return "enforce";
    case Mode::kDetect:
      return "detect";
    case Mode::kLearn:
      return "learn";
  }
  return "enforce";
}

nlohmann::ordered_json Groups(const std::map<std::string, GroupCounts>& groups, size_t top, uint64_t* left_off) {
  std::vector<std::pair<std::string, GroupCounts>> rows(groups.begin(), groups.end());
  // Most rejections first: that is what a reviewer looks for.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.rejected != b.second.rejected) return a.second.rejected > b.second.rejected;
    if (a.second.statements != b.second.statements) return a.second.statements > b.second.statements;
    return a.first < b.first;
  });
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  *left_off = rows.size() > top ? rows.size() - top : 0;
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    const GroupCounts& g = rows[i].second;
    out.push_back({{"name", rows[i].first},
                   {"statements", g.statements},
                   {"allowed", g.allowed},
                   {"rejected", g.rejected},
                   {"capped", g.capped}});
  }
  return out;
}

nlohmann::ordered_json Where(const PipelineResult& p, uint32_t file, uint64_t line) {
  return {{"file", file < p.inputs.size() ? p.inputs[file].path : ""}, {"line", line}};
}

nlohmann::ordered_json TopShapes(const AuditStats& stats, const PipelineResult& p, size_t top, bool rejected) {
  std::vector<const ShapeStats*> rows;
  for (const auto& [key, s] : stats.shapes) {
    if ((rejected ? s.rejected : s.capped) > 0) rows.push_back(&s);
  }
  std::sort(rows.begin(), rows.end(), [&](const ShapeStats* a, const ShapeStats* b) {
    const uint64_t na = rejected ? a->rejected : a->capped, nb = rejected ? b->rejected : b->capped;
    if (na != nb) return na > nb;
    return a->example_sequence < b->example_sequence;
  });
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    const ShapeStats& s = *rows[i];
    nlohmann::ordered_json row;
    row["fingerprint"] = s.fingerprint.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.fingerprint);
    row["statements"] = rejected ? s.rejected : s.capped;
    if (rejected) row["codes"] = s.codes;
    row["example"] = s.example;
    row["first_seen_at"] = Where(p, s.example_file, s.example_line);
    out.push_back(std::move(row));
  }
  return out;
}

// At most ~120 bars: the smallest display step that is a multiple of the
// stored one and spans the range in that many buckets.
nlohmann::ordered_json Timeline(const AuditStats& stats) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  if (stats.timeline.empty()) {
    out["bucket_seconds"] = stats.bucket_ms / 1000;
    out["buckets"] = buckets;
    return out;
  }
  const int64_t first = stats.timeline.begin()->first;
  const int64_t last = stats.timeline.rbegin()->first;
  constexpr int64_t kSteps[] = {60000,     300000,     900000,      3600000,         3 * 3600000,
                                6 * 3600000, 12 * 3600000, 86400000, 7 * 86400000LL, 30 * 86400000LL};
  int64_t step = stats.bucket_ms;
  for (int64_t s : kSteps) {
    if (s < stats.bucket_ms || s % stats.bucket_ms != 0) continue;
    step = s;
    if ((last - first) / s < 120) break;
  }
  auto floor_to = [&](int64_t ms) { return (ms >= 0 ? ms / step : (ms - step + 1) / step) * step; };
  std::map<int64_t, TimeBucket> shown;
  for (int64_t t = floor_to(first); t <= floor_to(last); t += step) shown[t];  // empty buckets show gaps
  for (const auto& [start, b] : stats.timeline) {
    TimeBucket& s = shown[floor_to(start)];
    s.statements += b.statements;
    s.rejected += b.rejected;
  }
  for (const auto& [start, b] : shown) {
    buckets.push_back({{"start", FormatIsoTime(start)}, {"statements", b.statements}, {"rejected", b.rejected}});
  }
  out["bucket_seconds"] = step / 1000;
  out["buckets"] = std::move(buckets);
  return out;
}

}  // namespace

nlohmann::ordered_json BuildReport(const AuditStats& stats, const PipelineResult& pipeline, const ReportContext& ctx) {
  nlohmann::ordered_json r;
  r["schema_version"] = kReportSchemaVersion;
  r["generator"] = "pgsieve audit";
  const Policy defaults;
  const Policy& policy = ctx.policy != nullptr ? *ctx.policy : defaults;
  r["policy"] = {{"source", ctx.policy_source},
                 {"mode", ModeName(policy.mode)},
                 {"fingerprints", policy.fingerprints == FingerprintPolicy::kRequire ? "require" : "off"},
                 {"max_rows", policy.max_rows}};
  r["show_literals"] = ctx.show_literals;
  r["jobs"] = ctx.jobs;

  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const InputSummary& in : pipeline.inputs) {
    nlohmann::ordered_json i = {{"path", in.path},
                        {"format", in.error.empty() ? std::string(FormatName(in.format)) : ""},
                        {"compressed", in.compressed},
                        {"bytes", in.bytes},
                        {"records", in.records},
                        {"statements", in.statements},
                        {"malformed", in.malformed}};
    if (!in.error.empty()) i["error"] = in.error;
    inputs.push_back(std::move(i));
  }
  r["inputs"] = std::move(inputs);

  r["totals"] = {{"records", stats.records},     {"statements", stats.statements},
                 {"allowed", stats.allowed},     {"rejected", stats.rejected},
                 {"would_reject", stats.would_reject}, {"capped", stats.capped},
                 {"malformed", pipeline.malformed}};

  auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s); };
  r["time_range"] = {{"first_seen", or_null(stats.first_timestamp)},
                     {"last_seen", or_null(stats.last_timestamp)},
                     {"first_seen_utc", or_null(FormatIsoTime(stats.first_ms))},
                     {"last_seen_utc", or_null(FormatIsoTime(stats.last_ms))}};

  std::vector<std::pair<std::string, uint64_t>> reasons(stats.by_reason.begin(), stats.by_reason.end());
  std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  nlohmann::ordered_json by_reason = nlohmann::ordered_json::array();
  for (const auto& [code, n] : reasons) by_reason.push_back({{"code", code}, {"statements", n}});
  r["by_reason"] = std::move(by_reason);

  uint64_t users_left = 0, apps_left = 0, dbs_left = 0;
  r["by_user"] = Groups(stats.by_user, ctx.top, &users_left);
  r["by_application"] = Groups(stats.by_application, ctx.top, &apps_left);
  r["by_database"] = Groups(stats.by_database, ctx.top, &dbs_left);
  r["top_rejected"] = TopShapes(stats, pipeline, ctx.top, /*rejected=*/true);
  r["top_capped"] = TopShapes(stats, pipeline, ctx.top, /*rejected=*/false);
  r["timeline"] = Timeline(stats);

  nlohmann::ordered_json malformed_examples = nlohmann::ordered_json::array();
  for (const Malformed& m : pipeline.malformed_examples) {
    malformed_examples.push_back(
        {{"file", m.file < pipeline.inputs.size() ? pipeline.inputs[m.file].path : ""}, {"line", m.line},
         {"reason", m.reason}});
  }
  r["malformed"] = {{"count", pipeline.malformed}, {"examples", std::move(malformed_examples)}};
  r["limits"] = {{"top", ctx.top},
                 {"users_not_listed", users_left},
                 {"applications_not_listed", apps_left},
                 {"databases_not_listed", dbs_left},
                 {"untracked_shape_statements", stats.untracked_shape_statements},
                 {"top_lists_approximate", stats.shapes_pruned}};
  return r;
}

std::string DumpReport(const nlohmann::ordered_json& report) {
  return report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace pgsieve::audit
