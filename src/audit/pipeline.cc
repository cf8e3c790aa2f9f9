#include "audit/pipeline.h"

#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "audit/input_file.h"
#include "audit/record_reader.h"
#include "audit/work_queue.h"

namespace pgsieve::audit {
namespace {

constexpr size_t kBatchRecords = 256;
constexpr size_t kBatchBytes = size_t{1} << 20;
constexpr size_t kPeekBytes = size_t{1} << 16;

struct Batch {
  std::vector<LogRecord> records;
  size_t bytes = 0;
};

// The size of a regular file; false for standard input, pipes and the like.
bool SizeOnDisk(const std::string& path, uint64_t* size) {
  struct stat st{};
  if (path == "-" || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  *size = static_cast<uint64_t>(st.st_size);
  return true;
}

}  // namespace

bool PipelineResult::all_inputs_opened() const {
  return std::all_of(inputs.begin(), inputs.end(), [](const InputSummary& s) { return s.error.empty(); });
}

int EffectiveJobs(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

PipelineResult RunPipeline(const Firewall& firewall, const PipelineOptions& options,
                           const std::vector<StatementVisitor*>& visitors) {
  PipelineResult result;
  const size_t max_statement = static_cast<size_t>(firewall.policy().max_statement_bytes) + 1;
  // JSON may escape every byte of a statement as \u00XX: room for that.
  const size_t max_line = std::max<size_t>(6 * max_statement + (size_t{1} << 20), size_t{8} << 20);

  uint64_t total_bytes = 0;
  bool total_known = true;
  for (const std::string& path : options.paths) {
    uint64_t size = 0;
    if (!SizeOnDisk(path, &size)) total_known = false;
    total_bytes += size;
  }
  Progress progress(options.progress, total_known ? total_bytes : 0);

  // Two batches per worker in flight keep the workers busy while the reader
  // parses; more would only hold memory.
  BoundedQueue<Batch> queue(2 * visitors.size());
  std::vector<std::thread> workers;
  workers.reserve(visitors.size());
  for (StatementVisitor* visitor : visitors) {
    workers.emplace_back([&queue, &firewall, &progress, visitor] {
      Verdict verdict;  // reused: an allowed statement costs no heap allocation
      while (std::optional<Batch> batch = queue.Pop()) {
        for (const LogRecord& r : batch->records) {
          firewall.Check(r.sql, &verdict);
          visitor->Visit(r, verdict);
        }
        progress.statements.fetch_add(batch->records.size(), std::memory_order_relaxed);
      }
    });
  }
  progress.Start();

  uint64_t sequence = 0;
  uint64_t done_bytes = 0;
  Batch batch;
  for (size_t i = 0; i < options.paths.size(); ++i) {
    InputSummary summary;
    summary.path = options.paths[i];
    InputFile in;
    if (Status s = in.Open(summary.path, max_line); !s.ok()) {
      summary.error = s.message();
      result.inputs.push_back(std::move(summary));
      continue;
    }
    summary.bytes = in.disk_size();
    summary.format = DetectFormat(in.Peek(kPeekBytes), summary.path, options.format);
    ReaderOptions reader_options;
    reader_options.max_statement_bytes = max_statement;
    reader_options.file_index = static_cast<uint32_t>(i);
    reader_options.on_malformed = [&](Malformed m) {
      ++summary.malformed;
      ++result.malformed;
      if (result.malformed_examples.size() < options.max_malformed_examples) {
        result.malformed_examples.push_back(std::move(m));
      }
    };
    std::unique_ptr<RecordReader> reader = OpenRecordReader(summary.format, &in, reader_options);
    LogRecord record;
    auto keep = [](const std::set<std::string>& names, const std::string& name) {
      return names.empty() || names.count(name) > 0;
    };
    while (reader->Next(&record)) {
      if (!keep(options.users, record.user) || !keep(options.databases, record.database) ||
          !keep(options.applications, record.application)) {
        continue;
      }
      record.sequence = sequence++;
      ++summary.records;
      summary.statements += record.calls;
      batch.bytes += record.sql.size();
      batch.records.push_back(std::move(record));
      if (batch.records.size() % 64 == 0) {
        // gzoffset is a system call: not for every record.
        progress.bytes.store(done_bytes + in.disk_offset(), std::memory_order_relaxed);
      }
      if (batch.records.size() >= kBatchRecords || batch.bytes >= kBatchBytes) {
        queue.Push(std::move(batch));
        batch = Batch{};
      }
    }
    summary.compressed = in.compressed();
    if (summary.bytes == 0) summary.bytes = in.disk_offset();
    done_bytes += summary.bytes;
    progress.bytes.store(done_bytes, std::memory_order_relaxed);
    result.inputs.push_back(std::move(summary));
  }
  if (!batch.records.empty()) queue.Push(std::move(batch));
  queue.Close();
  for (std::thread& t : workers) t.join();
  progress.Stop();
  return result;
}

}  // namespace pgsieve::audit
