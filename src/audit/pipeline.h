// The audit pipeline: one reader thread turns the inputs into batches of
// records; a bounded queue hands them to worker threads that share one
// immutable Firewall and give every (record, verdict) to their own
// StatementVisitor. Memory is bounded by the queue (batches of at most
// kBatchRecords records or kBatchBytes bytes of SQL), never by the inputs.
//
//   std::vector<std::unique_ptr<AuditVisitor>> workers = ...;  // one per job
//   PipelineResult r = RunPipeline(firewall, options, Pointers(workers));
//   // merge the visitors afterwards, on this thread
//
// Thread safety: RunPipeline is called from one thread; each visitor is
// called from its own worker thread only.
#ifndef PGSIEVE_SRC_AUDIT_PIPELINE_H_
#define PGSIEVE_SRC_AUDIT_PIPELINE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "audit/log_format.h"
#include "audit/log_record.h"
#include "audit/progress.h"
#include "pgsieve/firewall.h"

namespace pgsieve::audit {

class StatementVisitor {
 public:
  virtual ~StatementVisitor() = default;
  virtual void Visit(const LogRecord& record, const Verdict& verdict) = 0;
};

struct PipelineOptions {
  std::vector<std::string> paths;  // "-" is standard input
  LogFormat format = LogFormat::kAuto;
  ProgressMode progress = ProgressMode::kAuto;
  // Malformed records kept with file and line for the report (all are counted).
  size_t max_malformed_examples = 100;
  // When not empty, only records of these users / databases / applications
  // (exact names) are checked; the others are skipped as if absent.
  std::set<std::string> users, databases, applications;
};

struct InputSummary {
  std::string path;
  LogFormat format = LogFormat::kAuto;
  bool compressed = false;
  uint64_t bytes = 0;       // on disk (compressed size for gzip)
  uint64_t records = 0;     // statement records read (and not filtered out)
  uint64_t statements = 0;  // executions they stand for (pg_stat_statements calls)
  uint64_t malformed = 0;
  std::string error;        // set when the input could not be opened
};

struct PipelineResult {
  std::vector<InputSummary> inputs;
  uint64_t malformed = 0;
  std::vector<Malformed> malformed_examples;  // the first ones, in reading order
  bool all_inputs_opened() const;
};

// The number of workers for `requested` jobs: every core when 0.
int EffectiveJobs(int requested);

// REQUIRES: !visitors.empty(); one visitor per worker thread.
PipelineResult RunPipeline(const Firewall& firewall, const PipelineOptions& options,
                           const std::vector<StatementVisitor*>& visitors);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_PIPELINE_H_
