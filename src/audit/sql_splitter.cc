#include "audit/sql_splitter.h"

#include <cctype>

namespace pgsieve::audit {
namespace {

bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (c & 0x80); }

// "COPY ... FROM stdin" (pg_dump's data blocks follow it).
bool IsCopyFromStdin(std::string_view sql) {
  std::string lower;
  for (char c : sql) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const size_t start = lower.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || lower.compare(start, 5, "copy ") != 0) return false;
  const size_t from = lower.rfind(" from ");
  if (from == std::string::npos) return false;
  const size_t word = lower.find_first_not_of(' ', from + 6);
  return word != std::string::npos && lower.compare(word, 5, "stdin") == 0;
}

}  // namespace

void SqlSplitter::Append(std::string_view text) {
  if (current_.size() >= max_bytes_) return;
  current_.append(text.substr(0, max_bytes_ - current_.size()));
}

void SqlSplitter::Emit(std::vector<SplitStatement>* out) {
  if (content_) {
    const bool copy = IsCopyFromStdin(current_);
    out->push_back(SplitStatement{std::move(current_), start_line_});
    if (copy) in_copy_data_ = true;
  }
  current_.clear();
  content_ = false;
  started_line_ = false;
}

void SqlSplitter::AddLine(std::string_view line, uint64_t number, std::vector<SplitStatement>* out) {
  if (in_copy_data_) {
    if (line == "\\.") in_copy_data_ = false;
    return;
  }
  if (state_ == State::kLineComment) state_ = State::kNormal;
  if (state_ == State::kNormal && !content_ && !line.empty() && line[0] == '\\') return;  // psql meta-command
  if (started_line_) Append("\n");
  started_line_ = true;
  size_t i = 0;
  size_t chunk = 0;  // start of the text not yet appended
  auto mark_content = [&]() {
    if (!content_) {
      content_ = true;
      start_line_ = number;
    }
  };
  while (i < line.size()) {
    const char c = line[i];
    switch (state_) {
      case State::kNormal:
        if (c == ';') {
          Append(line.substr(chunk, i - chunk));
          Emit(out);
          chunk = i + 1;
          ++i;
          continue;
        }
        if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
          state_ = State::kLineComment;
          i = line.size();
          continue;
        }
        if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
          state_ = State::kBlockComment;
          comment_depth_ = 1;
          i += 2;
          continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
          ++i;
          continue;
        }
        mark_content();
        if (c == '\'') {
          const bool escape_string = i > 0 && (line[i - 1] == 'E' || line[i - 1] == 'e') &&
                                     (i < 2 || !IdentChar(line[i - 2]));
          state_ = escape_string ? State::kEString : State::kString;
        } else if (c == '"') {
          state_ = State::kIdentifier;
        } else if (c == '$' && (i == 0 || !IdentChar(line[i - 1]))) {
          size_t j = i + 1;
          while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_' ||
                                     (line[j] & 0x80))) {
            ++j;
          }
          const bool tag_ok = j < line.size() && line[j] == '$' &&
                              (j == i + 1 || !std::isdigit(static_cast<unsigned char>(line[i + 1])));
          if (tag_ok) {
            dollar_tag_.assign(line.substr(i, j - i + 1));
            state_ = State::kDollar;
            i = j + 1;
            continue;
          }
        }
        ++i;
        continue;
      case State::kString:
        if (c == '\'') state_ = State::kNormal;  // '' re-enters at once
        ++i;
        continue;
      case State::kEString:
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '\'') state_ = State::kNormal;
        ++i;
        continue;
      case State::kIdentifier:
        if (c == '"') state_ = State::kNormal;
        ++i;
        continue;
      case State::kDollar:
        if (c == '$' && line.substr(i, dollar_tag_.size()) == dollar_tag_) {
          state_ = State::kNormal;
          i += dollar_tag_.size();
          continue;
        }
        ++i;
        continue;
      case State::kLineComment:
        i = line.size();
        continue;
      case State::kBlockComment:
        if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
          if (--comment_depth_ == 0) state_ = State::kNormal;
          i += 2;
          continue;
        }
        if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
          ++comment_depth_;
          i += 2;
          continue;
        }
        ++i;
        continue;
    }
  }
  if (chunk < line.size()) Append(line.substr(chunk));
  if (!content_ && (state_ == State::kNormal || state_ == State::kLineComment)) {
    // Only blank lines and comments so far: they belong to no statement yet.
    current_.clear();
    started_line_ = false;
  }
}

void SqlSplitter::Finish(std::vector<SplitStatement>* out) {
  Emit(out);
  state_ = State::kNormal;
}

}  // namespace pgsieve::audit
