// Status: the outcome of an operation that can fail for reasons outside the
// statement being checked (a bad policy file, an unreadable path).
//
// A rejected statement is NOT an error: it is a Verdict (see verdict.h).
// Status is only for failures of the operation itself. pgsieve never throws.
//
// Thread safety: a Status is a value; copies are independent.
#ifndef PGSIEVE_STATUS_H_
#define PGSIEVE_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace pgsieve {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // a value is out of range or malformed (names the key)
  kParseError,       // a policy file is not valid TOML (carries line:column)
  kNotFound,         // a file could not be opened
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Human-readable: names the key, file, line and column where known.
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
// REQUIRES: value() only when ok().
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {}    // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace pgsieve

#endif  // PGSIEVE_STATUS_H_
