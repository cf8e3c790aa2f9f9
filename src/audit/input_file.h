// InputFile: one audit input read as a stream of bytes and lines, gzip or
// not (zlib reads plain files transparently, so a .gz suffix is never needed
// and never trusted). Memory stays bounded whatever the file size: one
// buffer, and lines longer than `max_line_bytes` are skipped and reported
// instead of being held.
//
//   InputFile in;
//   if (Status s = in.Open("postgresql.csv.gz", 8 << 20); !s.ok()) ...
//   std::string line;
//   while (in.ReadLine(&line) == InputFile::kLine) ...
//
// Thread safety: none; one reader thread owns an InputFile.
#ifndef PGSIEVE_SRC_AUDIT_INPUT_FILE_H_
#define PGSIEVE_SRC_AUDIT_INPUT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pgsieve/status.h"

namespace pgsieve::audit {

class InputFile {
 public:
  InputFile() = default;
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Opens `path` ("-" is standard input). kNotFound when it cannot be opened.
  Status Open(const std::string& path, size_t max_line_bytes);

  enum LineResult {
    kLine,      // *line holds the next line, without its "\n" (and a "\r" before it)
    kTooLong,   // the line was longer than max_line_bytes; skipped up to its "\n"
    kEnd,       // no more data
    kError,     // the stream is corrupt (gzip data error, truncated gzip); error() says why
  };
  LineResult ReadLine(std::string* line);

  // Up to `n` bytes of raw (decompressed) data; fewer at the end. Returns the
  // number read, 0 at the end, -1 on a stream error.
  long Read(char* out, size_t n);

  // The first bytes of the (decompressed) data without consuming them:
  // format detection looks before the reader starts.
  std::string_view Peek(size_t n);

  // 1-based number of the line ReadLine returned last (the first line of a
  // too-long line). Lines read through Read() are counted as well.
  uint64_t line_number() const { return line_number_; }
  // Bytes consumed from the file on disk (compressed bytes for gzip): the
  // progress bar's numerator.
  uint64_t disk_offset() const;
  // The file's size on disk; 0 when unknown (standard input, a pipe).
  uint64_t disk_size() const { return disk_size_; }
  bool compressed() const { return compressed_; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  // Refills buf_ keeping the unconsumed tail; false at the end or on error.
  bool Fill();

  std::string path_;
  void* gz_ = nullptr;  // gzFile
  std::string buf_;
  size_t pos_ = 0;   // first unconsumed byte of buf_
  size_t end_ = 0;   // one past the last valid byte of buf_
  bool eof_ = false;
  bool compressed_ = false;
  size_t max_line_bytes_ = 0;
  uint64_t line_number_ = 0;
  uint64_t disk_size_ = 0;
  std::string error_;
};

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_INPUT_FILE_H_
