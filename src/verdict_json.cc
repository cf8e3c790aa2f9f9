#include "verdict_json.h"

#include <algorithm>

#include "pgsieve/firewall.h"

namespace pgsieve {
namespace {

// Invalid UTF-8 inside a fragment must not make the output invalid JSON.
std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

nlohmann::json BadRequest(const nlohmann::json* id, const std::string& message) {
  nlohmann::json out;
  out["id"] = id != nullptr ? *id : nlohmann::json(nullptr);
  out["verdict"] = "reject";
  out["violations"] = nlohmann::json::array(
      {{{"code", "bad-request"}, {"message", message}, {"offset", 0}, {"line", 1}, {"column", 1}, {"fragment", ""}}});
  return out;
}

// Deepest nesting of arrays and objects in a JSON text (strings skipped).
// Checked before parsing: echoing a deeply nested "id" back would recurse.
int NestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

constexpr int kMaxRequestDepth = 64;

}  // namespace

nlohmann::json VerdictToJson(const Verdict& verdict, const nlohmann::json* id) {
  nlohmann::json out;
  out["id"] = id != nullptr ? *id : nlohmann::json(nullptr);
  out["verdict"] = verdict.allowed() ? "allow" : "reject";
  if (verdict.allowed()) {
    out["sql"] = verdict.sql;
    out["max_rows"] = verdict.max_rows;
    out["rewritten"] = verdict.rewritten;
  }
  if (verdict.would_reject) out["would_reject"] = true;
  if (!verdict.fingerprint.empty()) out["fingerprint"] = verdict.fingerprint;
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : verdict.violations) {
    violations.push_back({{"code", v.code},
                          {"message", v.message},
                          {"offset", v.offset},
                          {"line", v.line},
                          {"column", v.column},
                          {"fragment", v.fragment}});
  }
  out["violations"] = std::move(violations);
  return out;
}

std::string CheckJsonLine(const Firewall& firewall, std::string_view line) {
  if (NestingDepth(line) > kMaxRequestDepth) {
    return Dump(BadRequest(nullptr, "request nests arrays or objects deeper than " +
                                        std::to_string(kMaxRequestDepth) + " levels; send a flat id"));
  }
  nlohmann::json request = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) return Dump(BadRequest(nullptr, "line is not valid JSON; send {\"id\": ..., \"sql\": \"...\"}"));
  if (!request.is_object()) return Dump(BadRequest(nullptr, "line is not a JSON object; send {\"id\": ..., \"sql\": \"...\"}"));
  const nlohmann::json* id = nullptr;
  if (auto it = request.find("id"); it != request.end()) id = &*it;
  auto sql = request.find("sql");
  if (sql == request.end() || !sql->is_string()) {
    return Dump(BadRequest(id, "missing string field \"sql\""));
  }
  const std::string& text = sql->get_ref<const std::string&>();
  return Dump(VerdictToJson(firewall.Check(text), id));
}

}  // namespace pgsieve
