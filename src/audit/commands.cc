#include "audit/commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "audit/audit_stats.h"
#include "audit/log_format.h"
#include "audit/pipeline.h"
#include "audit/reason_codes.h"
#include "audit/report_html.h"
#include "audit/report_json.h"
#include "audit/report_text.h"
#include "pgsieve/fingerprints.h"

namespace pgsieve::audit {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailOn = 1;
constexpr int kExitUsage = 2;

class StatsVisitor : public StatementVisitor {
 public:
  explicit StatsVisitor(AuditStatsOptions options) : stats(options) {}
  void Visit(const LogRecord& record, const Verdict& verdict) override { stats.Add(record, verdict); }
  AuditStats stats;
};

// Learned shapes of one worker: the count, and the text of the first
// occurrence (by sequence) so the learned file does not depend on threads.
class LearnVisitor : public StatementVisitor {
 public:
  struct Shape {
    uint64_t count = 0;
    uint64_t sequence = UINT64_MAX;
    std::string sql;
  };
  LearnVisitor() = default;

  void Visit(const LogRecord& record, const Verdict& verdict) override {
    ++statements;
    if (!verdict.allowed() || verdict.would_reject || verdict.fingerprint.empty()) {
      ++not_recorded;
      return;
    }
    // The fingerprint and the example are those of the statement that runs
    // (capped), which is also what a server behind pgsieve logs.
    LogRecord ran = record;
    ran.sql = verdict.sql;
    Record(verdict.fingerprint, ran);
  }
  void Record(const std::string& fingerprint, const LogRecord& record) {
    Shape& s = shapes[fingerprint];
    ++s.count;
    if (record.sequence < s.sequence) {
      s.sequence = record.sequence;
      s.sql = record.sql;
    }
  }
  std::unordered_map<std::string, Shape> shapes;
  uint64_t statements = 0;
  uint64_t not_recorded = 0;

 private:
};

bool ParseCommon(const std::string& format_name, const std::string& progress_name, PipelineOptions* out) {
  const std::optional<LogFormat> format = ParseFormatName(format_name);
  if (!format) {
    std::cerr << "pgsieve: unknown --format \"" << format_name << "\" (one of: " << FormatNames() << ")\n";
    return false;
  }
  out->format = *format;
  if (progress_name == "auto") {
    out->progress = ProgressMode::kAuto;
  } else if (progress_name == "always") {
    out->progress = ProgressMode::kAlways;
  } else if (progress_name == "never") {
    out->progress = ProgressMode::kNever;
  } else {
    std::cerr << "pgsieve: --progress is auto, always or never\n";
    return false;
  }
  const size_t stdin_uses = static_cast<size_t>(std::count(out->paths.begin(), out->paths.end(), "-"));
  if (stdin_uses > 1) {
    std::cerr << "pgsieve: standard input (-) can be read only once\n";
    return false;
  }
  return true;
}

void ReportUnreadable(const PipelineResult& result) {
  for (const InputSummary& in : result.inputs) {
    if (!in.error.empty()) std::cerr << "pgsieve: cannot read " << in.error << "\n";
  }
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "pgsieve: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// What audit and learn take alike: inputs, format, progress and the
// user/database/application filters. False (after a message) for a bad value.
template <typename CommandOptions>
bool PipelineFrom(const CommandOptions& o, PipelineOptions* pipeline) {
  pipeline->paths = o.paths;
  pipeline->users.insert(o.users.begin(), o.users.end());
  pipeline->databases.insert(o.databases.begin(), o.databases.end());
  pipeline->applications.insert(o.applications.begin(), o.applications.end());
  return ParseCommon(o.format, o.progress, pipeline);
}

}  // namespace

int RunAuditCommand(const Firewall& firewall, const AuditCommandOptions& o) {
  PipelineOptions pipeline;
  if (!PipelineFrom(o, &pipeline)) return kExitUsage;
  bool fail_on_reject = false, fail_on_malformed = false;
  std::vector<std::string> fail_codes;
  for (const std::string& item : o.fail_on) {
    std::stringstream parts(item);
    std::string code;
    while (std::getline(parts, code, ',')) {
      if (code.empty()) continue;
      if (code == "reject") {
        fail_on_reject = true;
      } else if (code == "malformed") {
        fail_on_malformed = true;
      } else if (IsKnownReasonCode(code)) {
        fail_codes.push_back(code);
      } else {
        std::cerr << "pgsieve: --fail-on \"" << code
                  << "\" is not a reason code (README.md lists them), \"reject\" or \"malformed\"\n";
        return kExitUsage;
      }
    }
  }

  const int jobs = EffectiveJobs(o.jobs);
  std::vector<std::unique_ptr<StatsVisitor>> workers;
  std::vector<StatementVisitor*> visitors;
  for (int i = 0; i < jobs; ++i) {
    workers.push_back(std::make_unique<StatsVisitor>(AuditStatsOptions{o.show_literals}));
    visitors.push_back(workers.back().get());
  }
  const PipelineResult result = RunPipeline(firewall, pipeline, visitors);
  AuditStats stats(AuditStatsOptions{o.show_literals});
  for (const auto& w : workers) stats.Merge(w->stats);

  ReportContext context;
  context.policy_source = o.policy_source;
  context.policy = &firewall.policy();
  context.show_literals = o.show_literals;
  context.top = o.top;
  context.jobs = jobs;
  const nlohmann::ordered_json report = BuildReport(stats, result, context);

  bool written = true;
  if (o.json_path == "-") {
    std::cout << DumpReport(report);
    std::cout.flush();
  } else if (!o.json_path.empty()) {
    written &= WriteFile(o.json_path, DumpReport(report));
  }
  if (!o.html_path.empty()) written &= WriteFile(o.html_path, RenderHtmlReport(report));
  if (!o.quiet) {
    // With the JSON on stdout the summary goes to stderr, so stdout stays JSON.
    WriteTextSummary(report, o.json_path == "-" ? std::cerr : std::cout);
  }
  ReportUnreadable(result);
  if (!written || !result.all_inputs_opened()) return kExitUsage;

  bool fail = (fail_on_reject && stats.flagged() > 0) || (fail_on_malformed && result.malformed > 0);
  for (const std::string& code : fail_codes) fail |= stats.by_reason.count(code) > 0;
  return fail ? kExitFailOn : kExitOk;
}

int RunLearnCommand(const Firewall& firewall, const LearnCommandOptions& o) {
  PipelineOptions pipeline;
  if (!PipelineFrom(o, &pipeline)) return kExitUsage;
  const int jobs = EffectiveJobs(o.jobs);
  std::vector<std::unique_ptr<LearnVisitor>> workers;
  std::vector<StatementVisitor*> visitors;
  for (int i = 0; i < jobs; ++i) {
    workers.push_back(std::make_unique<LearnVisitor>());
    visitors.push_back(workers.back().get());
  }
  const PipelineResult result = RunPipeline(firewall, pipeline, visitors);

  std::unordered_map<std::string, LearnVisitor::Shape> shapes;
  uint64_t statements = 0, not_recorded = 0;
  for (const auto& w : workers) {
    statements += w->statements;
    not_recorded += w->not_recorded;
    for (auto& [fp, s] : w->shapes) {
      LearnVisitor::Shape& t = shapes[fp];
      t.count += s.count;
      if (s.sequence < t.sequence) {
        t.sequence = s.sequence;
        t.sql = std::move(s.sql);
      }
    }
  }
  // Fed in order of first occurrence: the recorder keeps the first example,
  // and sorts equal counts stably.
  std::vector<std::pair<const std::string*, LearnVisitor::Shape*>> order;
  for (auto& [fp, s] : shapes) order.emplace_back(&fp, &s);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second->sequence < b.second->sequence; });
  FingerprintRecorder recorder;
  for (const auto& [fp, s] : order) {
    recorder.Add(*fp, s->sql, s->count);
  }
  std::ostringstream text;
  recorder.Write(text);
  bool written = true;
  if (o.output.empty() || o.output == "-") {
    std::cout << text.str();
    std::cout.flush();
  } else {
    written = WriteFile(o.output, text.str());
  }
  std::cerr << "pgsieve learn: " << statements << " statements; " << (statements - not_recorded)
            << " allowed, recorded under " << recorder.size() << " fingerprints; " << not_recorded
            << " rejected by the structural policy (not recorded); " << result.malformed << " malformed records\n";
  for (const Malformed& m : result.malformed_examples) {
    std::cerr << "  malformed: " << result.inputs[m.file].path << ":" << m.line << ": " << m.reason << "\n";
  }
  ReportUnreadable(result);
  return written && result.all_inputs_opened() ? kExitOk : kExitUsage;
}

}  // namespace pgsieve::audit
