// Progress: the audit's progress bar on standard error — bytes read out of
// the inputs' total, bytes and statements per second, and an ETA — redrawn in
// place a few times a second, and erased at the end. It is drawn only when
// standard error is a terminal (kAuto), so logs and CI output stay clean.
//
// Thread safety: the counters are atomics any thread may update; Start and
// Stop are called by the owner only.
#ifndef PGSIEVE_SRC_AUDIT_PROGRESS_H_
#define PGSIEVE_SRC_AUDIT_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace pgsieve::audit {

enum class ProgressMode { kAuto, kAlways, kNever };

class Progress {
 public:
  Progress(ProgressMode mode, uint64_t total_bytes);
  ~Progress();

  void Start();
  // Erases the bar (it leaves no trace in the terminal).
  void Stop();

  std::atomic<uint64_t> bytes{0};       // read from disk so far
  std::atomic<uint64_t> statements{0};  // checked so far

  // One rendering of the bar, for tests: `elapsed` seconds since the start.
  static std::string Render(uint64_t bytes, uint64_t total, uint64_t statements, double elapsed, int width);

 private:
  void Loop();

  bool enabled_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_PROGRESS_H_
