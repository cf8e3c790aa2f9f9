// The plain SQL reader: a .sql file (or any text) split into statements by
// SqlSplitter, or — when the file uses the corpus record format of
// tests/data (`pgsieve check --batch`), a line holding only 0x1E after each
// statement — one record per statement, exactly as `check --batch` reads it.
#include <deque>
#include <vector>

#include "audit/record_reader.h"
#include "audit/sql_splitter.h"

namespace pgsieve::audit {
namespace {

constexpr std::string_view kRecordSeparator = "\x1e";

bool UsesRecordSeparators(std::string_view head) {
  return head.substr(0, 2) == "\x1e\n" || head.find("\n\x1e\n") != std::string_view::npos ||
         head == kRecordSeparator || (head.size() >= 2 && head.substr(head.size() - 2) == "\n\x1e");
}

class SqlFileReader : public RecordReader {
 public:
  SqlFileReader(InputFile* file, ReaderOptions options)
      : file_(file), options_(std::move(options)), splitter_(options_.max_statement_bytes) {
    records_ = UsesRecordSeparators(file_->Peek(1 << 16));
  }

  bool Next(LogRecord* out) override {
    while (ready_.empty()) {
      if (done_) return false;
      ReadMore();
    }
    *out = LogRecord{};
    out->sql = std::move(ready_.front().sql);
    out->line = ready_.front().line;
    out->file = options_.file_index;
    ready_.pop_front();
    return true;
  }

 private:
  void ReadMore() {
    std::string line;
    const InputFile::LineResult r = file_->ReadLine(&line);
    if (r == InputFile::kEnd || r == InputFile::kError) {
      if (r == InputFile::kError) options_.ReportMalformed(file_->line_number() + 1, file_->error());
      if (records_) {
        EmitRecord();
      } else {
        std::vector<SplitStatement> out;
        splitter_.Finish(&out);
        for (auto& s : out) ready_.push_back(std::move(s));
      }
      done_ = true;
      return;
    }
    if (r == InputFile::kTooLong) {
      options_.ReportMalformed(file_->line_number(), "line longer than the line limit; skipped");
      return;
    }
    if (records_) {
      if (line == kRecordSeparator) {
        EmitRecord();
        return;
      }
      if (record_.empty() && !record_started_) record_line_ = file_->line_number();
      if (record_started_) Append("\n");
      record_started_ = true;
      Append(line);
      return;
    }
    std::vector<SplitStatement> out;
    splitter_.AddLine(line, file_->line_number(), &out);
    for (auto& s : out) ready_.push_back(std::move(s));
  }

  void Append(std::string_view text) {
    if (record_.size() < options_.max_statement_bytes) {
      record_.append(text.substr(0, options_.max_statement_bytes - record_.size()));
    }
  }

  void EmitRecord() {
    // check --batch skips blank records; so does the audit.
    if (record_.find_first_not_of(" \t\r\n") != std::string::npos) {
      ready_.push_back(SplitStatement{std::move(record_), record_line_});
    }
    record_.clear();
    record_started_ = false;
  }

  InputFile* file_;
  ReaderOptions options_;
  SqlSplitter splitter_;
  bool records_ = false;
  bool done_ = false;
  std::string record_;
  bool record_started_ = false;
  uint64_t record_line_ = 0;
  std::deque<SplitStatement> ready_;
};

}  // namespace

std::unique_ptr<RecordReader> NewSqlFileReader(InputFile* file, ReaderOptions options) {
  return std::make_unique<SqlFileReader>(file, std::move(options));
}

}  // namespace pgsieve::audit
