#include "audit/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace pgsieve::audit {
namespace {

constexpr size_t kChunk = size_t{1} << 18;  // 256 KiB per read from zlib

gzFile Gz(void* p) { return static_cast<gzFile>(p); }

}  // namespace

InputFile::~InputFile() {
  if (gz_ != nullptr) gzclose(Gz(gz_));
}

Status InputFile::Open(const std::string& path, size_t max_line_bytes) {
  path_ = path;
  max_line_bytes_ = std::max<size_t>(max_line_bytes, 1024);
  int fd = path == "-" ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kNotFound, path + ": " + std::strerror(errno));
  struct stat st{};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return Status(StatusCode::kNotFound, path + ": is a directory");
  }
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) disk_size_ = static_cast<uint64_t>(st.st_size);
  gzFile gz = gzdopen(fd, "rb");
  if (gz == nullptr) {
    close(fd);
    return Status(StatusCode::kNotFound, path + ": cannot open (out of memory)");
  }
  gzbuffer(gz, kChunk);
  gz_ = gz;
  buf_.resize(kChunk);
  return Status::Ok();
}

bool InputFile::Fill() {
  if (eof_ || !error_.empty() || gz_ == nullptr) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() - end_ < kChunk / 2) buf_.resize(buf_.size() + kChunk);
  // Small requests: gzread reports a corrupt stream as -1 and drops what it
  // decompressed in that call, so less is lost before a corruption.
  const size_t room = std::min(buf_.size() - end_, size_t{1} << 15);
  const int n = gzread(Gz(gz_), buf_.data() + end_, static_cast<unsigned>(room));
  if (n > 0) {
    end_ += static_cast<size_t>(n);
    compressed_ = gzdirect(Gz(gz_)) == 0;
  }
  int errnum = Z_OK;
  const char* message = gzerror(Gz(gz_), &errnum);
  if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
    // Z_BUF_ERROR here is a truncated gzip stream: the data read so far stays usable.
    std::string detail = message != nullptr ? message : "?";
    if (detail.rfind("<fd:", 0) == 0 && detail.find(": ") != std::string::npos) detail.erase(0, detail.find(": ") + 2);
    error_ = std::string(errnum == Z_BUF_ERROR ? "truncated gzip data" : "gzip data error") + " (" + detail +
             ") near byte " + std::to_string(disk_offset());
    return n > 0;
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

std::string_view InputFile::Peek(size_t n) {
  while (end_ - pos_ < n && Fill()) {
  }
  return std::string_view(buf_.data() + pos_, std::min(n, end_ - pos_));
}

long InputFile::Read(char* out, size_t n) {
  if (end_ == pos_ && !Fill()) return error_.empty() ? 0 : -1;
  const size_t k = std::min(n, end_ - pos_);
  std::memcpy(out, buf_.data() + pos_, k);
  line_number_ += static_cast<uint64_t>(std::count(buf_.data() + pos_, buf_.data() + pos_ + k, '\n'));
  pos_ += k;
  return static_cast<long>(k);
}

InputFile::LineResult InputFile::ReadLine(std::string* line) {
  size_t scanned = 0;  // bytes of the current line already searched for '\n'
  bool too_long = false;
  while (true) {
    const char* start = buf_.data() + pos_ + scanned;
    const void* nl = std::memchr(start, '\n', end_ - pos_ - scanned);
    if (nl != nullptr) {
      const size_t len = static_cast<size_t>(static_cast<const char*>(nl) - (buf_.data() + pos_));
      if (len > max_line_bytes_) too_long = true;
      ++line_number_;
      if (!too_long) {
        line->assign(buf_.data() + pos_, len);
        if (!line->empty() && line->back() == '\r') line->pop_back();
      }
      pos_ += len + 1;
      return too_long ? kTooLong : kLine;
    }
    scanned = end_ - pos_;
    if (scanned > max_line_bytes_) {
      // Drop what was held: the rest of this line is skipped, not stored.
      too_long = true;
      pos_ = end_;
      scanned = 0;
    }
    if (!Fill()) {
      if (end_ - pos_ > max_line_bytes_) too_long = true;
      if (end_ > pos_ || too_long) {
        // The last line has no "\n".
        ++line_number_;
        if (!too_long) {
          line->assign(buf_.data() + pos_, end_ - pos_);
          if (!line->empty() && line->back() == '\r') line->pop_back();
        }
        pos_ = end_;
        return too_long ? kTooLong : kLine;
      }
      return error_.empty() ? kEnd : kError;
    }
  }
}

uint64_t InputFile::disk_offset() const {
  if (gz_ == nullptr) return 0;
  const z_off_t off = gzoffset(Gz(gz_));
  return off < 0 ? 0 : static_cast<uint64_t>(off);
}

}  // namespace pgsieve::audit
