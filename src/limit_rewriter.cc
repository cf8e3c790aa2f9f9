#include "limit_rewriter.h"

#include <algorithm>

#include <cmath>

#include "node_access.h"

namespace pgsieve::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the numeric literal token (PostgreSQL 15's integer / decimal /
// real forms) at the start of `s`; 0 when there is none.
size_t NumericTokenLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  const size_t int_digits = i;
  if (i < s.size() && s[i] == '.' && !(i + 1 < s.size() && s[i + 1] == '.')) {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i == 0 || (int_digits == 0 && i == 1)) return 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && IsDigit(s[j])) {
      while (j < s.size() && IsDigit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

}  // namespace

std::string_view StatementText(const RawStmt* stmt, std::string_view input) {
  const size_t begin = std::min(static_cast<size_t>(std::max(stmt->stmt_location, 0)), input.size());
  size_t end = stmt->stmt_len > 0 ? std::min(begin + static_cast<size_t>(stmt->stmt_len), input.size()) : input.size();
  while (end > begin && IsSpace(input[end - 1])) --end;
  return input.substr(begin, end - begin);
}

LimitPlan PlanLimit(const RawStmt* stmt, std::string_view statement, int statement_offset, int64_t max_rows) {
  LimitPlan plan;
  plan.effective_cap = max_rows;
  if (stmt->stmt == nullptr || nodeTag(stmt->stmt) != T_SelectStmt) return plan;  // EXPLAIN, SHOW: kept
  const auto* select = reinterpret_cast<const SelectStmt*>(stmt->stmt);
  if (select->limitCount == nullptr) {
    plan.action = LimitAction::kAppend;
    return plan;
  }
  if (static_cast<int>(select->limitOption) == kLimitOptionWithTies) {
    plan.action = LimitAction::kWrap;
    return plan;
  }
  const Node* count = select->limitCount;
  if (nodeTag(count) != T_A_Const || reinterpret_cast<const A_Const*>(count)->isnull) {
    plan.action = LimitAction::kWrap;  // LIMIT ALL / NULL / $1 / expression
    return plan;
  }
  auto value = NumericConstant(count);
  if (!value) {
    plan.action = LimitAction::kWrap;
    return plan;
  }
  if (*value <= static_cast<long double>(max_rows)) {
    // PostgreSQL rounds a numeric LIMIT to the nearest integer; a negative
    // one is an error at run time, which returns no rows.
    // Clamped before rounding: llround of a value outside int64 is unspecified.
    plan.effective_cap = static_cast<int64_t>(
        std::llround(std::clamp(*value, static_cast<long double>(0), static_cast<long double>(max_rows))));
    return plan;
  }
  const int location = reinterpret_cast<const A_Const*>(count)->location;
  const long rel = static_cast<long>(location) - statement_offset;
  if (location < 0 || rel < 0 || static_cast<size_t>(rel) >= statement.size()) {
    plan.action = LimitAction::kWrap;
    return plan;
  }
  const size_t length = NumericTokenLength(statement.substr(static_cast<size_t>(rel)));
  if (length == 0) {
    plan.action = LimitAction::kWrap;
    return plan;
  }
  plan.action = LimitAction::kClamp;
  plan.literal_begin = static_cast<size_t>(rel);
  plan.literal_length = length;
  return plan;
}

std::string WrapWithLimit(std::string_view statement, int64_t max_rows) {
  std::string out;
  out.reserve(statement.size() + 64);
  out.append("SELECT * FROM (\n");
  out.append(statement);
  out.append("\n) AS pgsieve_capped LIMIT ");
  out.append(std::to_string(max_rows));
  return out;
}

std::string ApplyLimitPlan(std::string_view statement, const LimitPlan& plan, int64_t max_rows) {
  switch (plan.action) {
    case LimitAction::kKeep:
      return std::string(statement);
    case LimitAction::kAppend: {
      std::string out;
      out.reserve(statement.size() + 24);
      out.append(statement);
      out.append(statement.find("--") != std::string_view::npos ? "\nLIMIT " : " LIMIT ");
      out.append(std::to_string(max_rows));
      return out;
    }
    case LimitAction::kClamp: {
      std::string out(statement.substr(0, plan.literal_begin));
      out.append(std::to_string(max_rows));
      out.append(statement.substr(plan.literal_begin + plan.literal_length));
      return out;
    }
    case LimitAction::kWrap:
      return WrapWithLimit(statement, max_rows);
  }
  return WrapWithLimit(statement, max_rows);
}

}  // namespace pgsieve::internal
