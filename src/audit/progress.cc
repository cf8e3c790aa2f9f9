#include "audit/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace pgsieve::audit {
namespace {

std::string Bytes(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000 && u < 4) {
    b /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

std::string Duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

int TerminalWidth() {
  struct winsize w{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 80;
}

}  // namespace

Progress::Progress(ProgressMode mode, uint64_t total_bytes)
    : enabled_(mode == ProgressMode::kAlways || (mode == ProgressMode::kAuto && isatty(STDERR_FILENO) == 1)),
      total_(total_bytes) {}

Progress::~Progress() { Stop(); }

std::string Progress::Render(uint64_t bytes, uint64_t total, uint64_t statements, double elapsed, int width) {
  const double secs = std::max(elapsed, 1e-3);
  const double bps = static_cast<double>(bytes) / secs;
  const double sps = static_cast<double>(statements) / secs;
  char rates[96];
  std::snprintf(rates, sizeof rates, "%s/s  %.0f stmt/s", Bytes(bps).c_str(), sps);
  std::string tail;
  std::string bar;
  if (total > 0) {
    const double frac = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total));
    const std::string eta = bps > 0 && bytes > 0 ? Duration(static_cast<double>(total - std::min(bytes, total)) / bps)
                                                 : "?";
    char text[256];
    std::snprintf(text, sizeof text, " %3.0f%%  %s / %s  %s  %llu stmts  ETA %s", frac * 100,
                  Bytes(static_cast<double>(bytes)).c_str(), Bytes(static_cast<double>(total)).c_str(), rates,
                  static_cast<unsigned long long>(statements), eta.c_str());
    tail = text;
    const int bar_width = std::max(10, std::min(40, width - static_cast<int>(tail.size()) - 3));
    const int filled = static_cast<int>(frac * bar_width);
    bar.append("[").append(static_cast<size_t>(filled), '#').append(static_cast<size_t>(bar_width - filled), '.');
    bar.append("]");
  } else {
    char text[256];
    std::snprintf(text, sizeof text, "%s  %s  %llu stmts", Bytes(static_cast<double>(bytes)).c_str(), rates,
                  static_cast<unsigned long long>(statements));
    tail = text;
  }
  std::string line = bar + tail;
  if (static_cast<int>(line.size()) > width - 1) line.resize(static_cast<size_t>(std::max(0, width - 1)));
  return line;
}

void Progress::Start() {
  if (!enabled_) return;
  start_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { Loop(); });
}

void Progress::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  do {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string line = Render(bytes.load(), total_, statements.load(), elapsed, TerminalWidth());
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
  } while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stop_; }));
}

void Progress::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
}

}  // namespace pgsieve::audit
