// AuditStats: what an audit counts, fed one (record, verdict) at a time by a
// worker thread and merged across workers at the end.
//
// Every count is of executions: a record stands for `calls` of them (1 except
// in pg_stat_statements exports). "Rejected" means rejected in enforce and
// learn mode and would-reject in detect mode (Verdict::would_reject); the
// totals keep the two apart. A statement with several reason codes counts
// once under each.
//
// Memory is bounded whatever the input size: at most kMaxShapes distinct
// statement shapes (fingerprints; when the table is full the half with the
// fewest rejected and capped statements is dropped, their statements counted
// as untracked, and the top lists become approximate: a shape seen more than
// once per kMaxShapes / 2 statements is never dropped), kMaxGroups users /
// applications / databases (the rest pooled under "(other)"), and a timeline
// that coarsens its buckets (minute, hour, day, week) past kMaxTimeBuckets.
//
// Thread safety: none; one AuditStats per worker, merged on one thread.
#ifndef PGSIEVE_SRC_AUDIT_AUDIT_STATS_H_
#define PGSIEVE_SRC_AUDIT_AUDIT_STATS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "audit/log_record.h"
#include "pgsieve/verdict.h"

namespace pgsieve::audit {

struct GroupCounts {
  uint64_t statements = 0;
  uint64_t allowed = 0;
  uint64_t rejected = 0;  // would-reject included
  uint64_t capped = 0;
};

// One statement shape: a fingerprint (or, for text that does not parse, a
// hash of its scrubbed form), with the example of its first occurrence.
struct ShapeStats {
  std::string fingerprint;  // 16 hex digits; empty when the text does not parse
  uint64_t statements = 0;
  uint64_t rejected = 0;
  uint64_t capped = 0;
  std::set<std::string> codes;
  std::string example;  // report form (literal_scrub.h)
  uint64_t example_sequence = UINT64_MAX;
  uint32_t example_file = 0;
  uint64_t example_line = 0;
};

struct TimeBucket {
  uint64_t statements = 0;
  uint64_t rejected = 0;
};

struct AuditStatsOptions {
  bool show_literals = false;
};

class AuditStats {
 public:
  static constexpr size_t kMaxShapes = 10000;
  static constexpr size_t kMaxGroups = 5000;
  static constexpr size_t kMaxTimeBuckets = 20000;

  explicit AuditStats(AuditStatsOptions options = {}) : options_(options) {}

  void Add(const LogRecord& record, const Verdict& verdict);
  // Adds `other` into this one. The result does not depend on the order of
  // merges (examples keep the lowest sequence, times the extremes).
  void Merge(const AuditStats& other);

  uint64_t records = 0;
  uint64_t statements = 0;
  uint64_t allowed = 0;
  uint64_t rejected = 0;      // enforce / learn mode
  uint64_t would_reject = 0;  // detect mode
  uint64_t capped = 0;        // allowed with a LIMIT added, clamped or wrapped
  std::map<std::string, uint64_t> by_reason;
  std::map<std::string, GroupCounts> by_user;
  std::map<std::string, GroupCounts> by_application;
  std::map<std::string, GroupCounts> by_database;
  // Only shapes that were rejected or capped at least once are kept.
  std::unordered_map<std::string, ShapeStats> shapes;
  uint64_t untracked_shape_statements = 0;  // of shapes dropped from the table
  bool shapes_pruned = false;                // the top lists are approximate
  std::map<int64_t, TimeBucket> timeline;    // bucket start (ms) -> counts
  int64_t bucket_ms = 60000;
  int64_t first_ms = kNoTime, last_ms = kNoTime;
  std::string first_timestamp, last_timestamp;  // as written in the input

  uint64_t flagged() const { return rejected + would_reject; }

 private:
  void AddGroup(std::map<std::string, GroupCounts>& groups, const std::string& name, const GroupCounts& add);
  void AddTime(int64_t ms, uint64_t statements, uint64_t rejected);
  void Coarsen(int64_t new_bucket_ms);
  // Keeps the kMaxShapes / 2 shapes with the most rejected + capped statements.
  void PruneShapes();

  AuditStatsOptions options_;
};

// The key of a shape: its fingerprint, or "~" and a hash of the scrubbed text.
std::string ShapeKey(const std::string& fingerprint, const std::string& scrubbed);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_AUDIT_STATS_H_
