#include "audit/log_format.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>
#include <vector>

#include "audit/csv_records.h"
#include "audit/log_time.h"

namespace pgsieve::audit {
namespace {

constexpr std::array<std::pair<std::string_view, LogFormat>, 8> kNames = {{
    {"auto", LogFormat::kAuto},
    {"csvlog", LogFormat::kCsvlog},
    {"jsonlog", LogFormat::kJsonlog},
    {"pgss", LogFormat::kStatStatements},
    {"pgss-csv", LogFormat::kStatStatementsCsv},
    {"pgss-json", LogFormat::kStatStatementsJson},
    {"sql", LogFormat::kSql},
    {"jsonl", LogFormat::kJsonl},
}};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view FirstLine(std::string_view text) { return text.substr(0, text.find('\n')); }

// What a JSON object's keys say it is.
LogFormat JsonObjectFormat(std::string_view line, std::string_view head) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    if (j.contains("error_severity") || j.contains("backend_type")) return LogFormat::kJsonlog;
    if (j.contains("sql")) return LogFormat::kJsonl;
    if (j.contains("query")) return LogFormat::kStatStatementsJson;
    if (j.contains("timestamp") && j.contains("message")) return LogFormat::kJsonlog;
  }
  // The first object is cut by the peek window, or spans lines: look at keys.
  if (head.find("\"error_severity\"") != std::string_view::npos) return LogFormat::kJsonlog;
  if (head.find("\"sql\"") != std::string_view::npos) return LogFormat::kJsonl;
  if (head.find("\"query\"") != std::string_view::npos) return LogFormat::kStatStatementsJson;
  return LogFormat::kAuto;
}

}  // namespace

std::string_view FormatName(LogFormat format) {
  for (const auto& [name, f] : kNames) {
    if (f == format) return name;
  }
  return "auto";
}

std::optional<LogFormat> ParseFormatName(std::string_view name) {
  for (const auto& [n, f] : kNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

std::string FormatNames() {
  std::string out;
  for (const auto& [name, f] : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

LogFormat DetectFormat(std::string_view head, std::string_view path, LogFormat requested) {
  if (requested != LogFormat::kAuto && requested != LogFormat::kStatStatements) return requested;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);  // a BOM
  const size_t start = head.find_first_not_of(" \t\r\n");
  const std::string_view body = start == std::string_view::npos ? std::string_view() : head.substr(start);
  if (requested == LogFormat::kStatStatements) {
    return !body.empty() && (body[0] == '[' || body[0] == '{') ? LogFormat::kStatStatementsJson
                                                                : LogFormat::kStatStatementsCsv;
  }
  if (!body.empty() && body[0] == '[') return LogFormat::kStatStatementsJson;
  if (!body.empty() && body[0] == '{') {
    const LogFormat f = JsonObjectFormat(FirstLine(body), body);
    if (f != LogFormat::kAuto) return f;
  }
  if (head.find("\n\x1e\n") != std::string_view::npos || head.substr(0, 2) == "\x1e\n") return LogFormat::kSql;
  if (StartsWithLogTime(body)) return LogFormat::kCsvlog;
  if (!body.empty()) {
    std::vector<std::string> fields;
    std::string error;
    if (SplitCsv(FirstLine(body), &fields, &error)) {
      for (const std::string& f : fields) {
        if (f == "query") return LogFormat::kStatStatementsCsv;
      }
    }
  }
  // Text that is none of the above can only be SQL; the name breaks the tie
  // for an empty input only.
  if (!body.empty()) return LogFormat::kSql;
  std::string_view name = path;
  if (EndsWith(name, ".gz")) name.remove_suffix(3);
  if (EndsWith(name, ".csv")) return LogFormat::kCsvlog;
  if (EndsWith(name, ".json")) return LogFormat::kJsonlog;
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson")) return LogFormat::kJsonl;
  return LogFormat::kSql;
}

}  // namespace pgsieve::audit
