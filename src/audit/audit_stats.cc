#include "audit/audit_stats.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "audit/literal_scrub.h"
#include "pgsieve/fingerprints.h"

namespace pgsieve::audit {
namespace {

constexpr const char* kOther = "(other)";
constexpr const char* kUnknown = "(unknown)";

constexpr int64_t kBucketSteps[] = {60000, 3600000, 86400000, 7 * 86400000LL};

int64_t FloorTo(int64_t ms, int64_t step) { return (ms >= 0 ? ms / step : (ms - step + 1) / step) * step; }

}  // namespace

std::string ShapeKey(const std::string& fingerprint, const std::string& scrubbed) {
  if (!fingerprint.empty()) return fingerprint;
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : scrubbed) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "~%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void AuditStats::AddGroup(std::map<std::string, GroupCounts>& groups, const std::string& name,
                          const GroupCounts& add) {
  const std::string& key = name.empty() ? std::string(kUnknown) : name;
  auto it = groups.find(key);
  if (it == groups.end()) {
    const bool full = groups.size() >= kMaxGroups;
    it = groups.emplace(full ? std::string(kOther) : key, GroupCounts{}).first;
  }
  it->second.statements += add.statements;
  it->second.allowed += add.allowed;
  it->second.rejected += add.rejected;
  it->second.capped += add.capped;
}

void AuditStats::Coarsen(int64_t new_bucket_ms) {
  std::map<int64_t, TimeBucket> coarse;
  for (const auto& [start, b] : timeline) {
    TimeBucket& c = coarse[FloorTo(start, new_bucket_ms)];
    c.statements += b.statements;
    c.rejected += b.rejected;
  }
  timeline.swap(coarse);
  bucket_ms = new_bucket_ms;
}

void AuditStats::AddTime(int64_t ms, uint64_t n, uint64_t rejected_n) {
  TimeBucket& b = timeline[FloorTo(ms, bucket_ms)];
  b.statements += n;
  b.rejected += rejected_n;
  while (timeline.size() > kMaxTimeBuckets && bucket_ms < kBucketSteps[3]) {
    for (int64_t step : kBucketSteps) {
      if (step > bucket_ms) {
        Coarsen(step);
        break;
      }
    }
  }
}

void AuditStats::PruneShapes() {
  std::vector<std::pair<const std::string*, const ShapeStats*>> rows;
  rows.reserve(shapes.size());
  for (const auto& [key, s] : shapes) rows.emplace_back(&key, &s);
  const size_t keep = kMaxShapes / 2;
  if (rows.size() <= keep) return;
  // Most rejected + capped first; among equals the earliest seen.
  std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                   [](const auto& a, const auto& b) {
                     const uint64_t wa = a.second->rejected + a.second->capped;
                     const uint64_t wb = b.second->rejected + b.second->capped;
                     if (wa != wb) return wa > wb;
                     return a.second->example_sequence < b.second->example_sequence;
                   });
  std::vector<std::string> drop;
  for (size_t i = keep; i < rows.size(); ++i) {
    untracked_shape_statements += rows[i].second->statements;
    drop.push_back(*rows[i].first);
  }
  for (const std::string& key : drop) shapes.erase(key);
  shapes_pruned = true;
}

void AuditStats::Add(const LogRecord& r, const Verdict& v) {
  const uint64_t n = r.calls;
  const bool flagged = !v.allowed() || v.would_reject;
  const bool was_capped = v.allowed() && !v.would_reject && v.rewritten;
  ++records;
  statements += n;
  if (!v.allowed()) {
    rejected += n;
  } else if (v.would_reject) {
    would_reject += n;
  } else {
    allowed += n;
  }
  if (was_capped) capped += n;
  std::set<std::string> codes;
  if (flagged) {
    for (const Violation& x : v.violations) codes.insert(x.code);
    for (const std::string& c : codes) by_reason[c] += n;
  }
  const GroupCounts add{n, flagged ? 0 : n, flagged ? n : 0, was_capped ? n : 0};
  AddGroup(by_user, r.user, add);
  AddGroup(by_application, r.application, add);
  AddGroup(by_database, r.database, add);
  if (r.time_ms != kNoTime) {
    AddTime(r.time_ms, n, flagged ? n : 0);
    if (first_ms == kNoTime || r.time_ms < first_ms) {
      first_ms = r.time_ms;
      first_timestamp = r.timestamp;
    }
    if (last_ms == kNoTime || r.time_ms > last_ms) {
      last_ms = r.time_ms;
      last_timestamp = r.timestamp;
    }
  }
  if (!flagged && !was_capped) return;

  // The shape: costs a parse, so only for what the report lists.
  std::string fingerprint = v.fingerprint.empty() ? Fingerprint(r.sql) : v.fingerprint;
  std::string key;
  std::string scrubbed;
  if (fingerprint.empty()) {
    scrubbed = ReportExample(r.sql, false);
    key = ShapeKey("", scrubbed);
  } else {
    key = fingerprint;
  }
  auto it = shapes.find(key);
  if (it == shapes.end()) {
    if (shapes.size() >= kMaxShapes) PruneShapes();
    it = shapes.emplace(key, ShapeStats{}).first;
    it->second.fingerprint = fingerprint;
  }
  ShapeStats& s = it->second;
  s.statements += n;
  if (flagged) s.rejected += n;
  if (was_capped) s.capped += n;
  s.codes.insert(codes.begin(), codes.end());
  if (r.sequence < s.example_sequence) {
    s.example_sequence = r.sequence;
    s.example_file = r.file;
    s.example_line = r.line;
    s.example = options_.show_literals || scrubbed.empty() ? ReportExample(r.sql, options_.show_literals) : scrubbed;
  }
}

void AuditStats::Merge(const AuditStats& o) {
  records += o.records;
  statements += o.statements;
  allowed += o.allowed;
  rejected += o.rejected;
  would_reject += o.would_reject;
  capped += o.capped;
  for (const auto& [code, n] : o.by_reason) by_reason[code] += n;
  for (const auto& [name, g] : o.by_user) AddGroup(by_user, name, g);
  for (const auto& [name, g] : o.by_application) AddGroup(by_application, name, g);
  for (const auto& [name, g] : o.by_database) AddGroup(by_database, name, g);
  untracked_shape_statements += o.untracked_shape_statements;
  shapes_pruned |= o.shapes_pruned;
  for (const auto& [key, s] : o.shapes) {
    auto it = shapes.find(key);
    if (it == shapes.end()) {
      shapes.emplace(key, s);
      continue;
    }
    ShapeStats& t = it->second;
    t.statements += s.statements;
    t.rejected += s.rejected;
    t.capped += s.capped;
    t.codes.insert(s.codes.begin(), s.codes.end());
    if (s.example_sequence < t.example_sequence) {
      t.example_sequence = s.example_sequence;
      t.example = s.example;
      t.example_file = s.example_file;
      t.example_line = s.example_line;
    }
  }
  if (shapes.size() > kMaxShapes) PruneShapes();
  if (o.bucket_ms > bucket_ms) Coarsen(o.bucket_ms);
  for (const auto& [start, b] : o.timeline) {
    TimeBucket& t = timeline[FloorTo(start, bucket_ms)];
    t.statements += b.statements;
    t.rejected += b.rejected;
  }
  if (o.first_ms != kNoTime && (first_ms == kNoTime || o.first_ms < first_ms)) {
    first_ms = o.first_ms;
    first_timestamp = o.first_timestamp;
  }
  if (o.last_ms != kNoTime && (last_ms == kNoTime || o.last_ms > last_ms)) {
    last_ms = o.last_ms;
    last_timestamp = o.last_timestamp;
  }
}

}  // namespace pgsieve::audit

