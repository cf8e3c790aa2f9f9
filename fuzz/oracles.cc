// The rewrite oracle of rewrite_fuzzer and the JSON Lines contract of
// jsonl_fuzzer. Compiled into fuzz_support, which is not instrumented for
// coverage: JSON parsing and tree comparison here must neither guide libFuzzer
// nor slow it down.
#include <algorithm>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "pgsieve/pgsieve.h"
#include "verdict_json.h"

namespace pgsieve::fuzz {
namespace {

using nlohmann::json;

// The tree without positions (locations shift when text moves).
json Strip(const json& j) {
  if (j.is_object()) {
    json out = json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "location" || it.key() == "stmt_location" || it.key() == "stmt_len") continue;
      out[it.key()] = Strip(it.value());
    }
    return out;
  }
  if (j.is_array()) {
    json out = json::array();
    for (const auto& e : j) out.push_back(Strip(e));
    return out;
  }
  return j;
}

json WithoutLimit(const json& select_body) {
  json out = Strip(select_body);
  out.erase("limitCount");
  out.erase("limitOption");
  return out;
}

bool IsNumericConstant(const json& count) {
  return count.is_object() && count.contains("A_Const") &&
         (count["A_Const"].contains("ival") || count["A_Const"].contains("fval"));
}

// SELECT * FROM (<original>) AS pgsieve_capped LIMIT cap.
bool IsWrapped(const json& original, const json& rewritten, int64_t cap) {
  if (!rewritten.contains("SelectStmt")) return false;
  const json r = Strip(rewritten["SelectStmt"]);
  const json star = json::parse(R"([{"ResTarget":{"val":{"ColumnRef":{"fields":[{"A_Star":{}}]}}}}])");
  json from = json::array();
  from.push_back({{"RangeSubselect", {{"subquery", Strip(original)}, {"alias", {{"aliasname", "pgsieve_capped"}}}}}});
  const auto limit = ConstantLimit(r);
  return r.size() == 5 && r.value("targetList", json()) == star && r.value("fromClause", json()) == from &&
         r.value("op", "") == "SETOP_NONE" && r.value("limitOption", "") == "LIMIT_OPTION_COUNT" &&
         IsNumericConstant(r["limitCount"]) && limit && *limit == static_cast<long double>(cap);
}

// The same statement with its top-level count set to cap.
bool IsLimited(const json& original, const json& rewritten, int64_t cap) {
  if (!original.contains("SelectStmt") || !rewritten.contains("SelectStmt")) return false;
  const json& r = rewritten["SelectStmt"];
  const auto limit = ConstantLimit(r);
  return WithoutLimit(original["SelectStmt"]) == WithoutLimit(r) && r.value("limitOption", "") == "LIMIT_OPTION_COUNT" &&
         r.contains("limitCount") && IsNumericConstant(r["limitCount"]) && limit &&
         *limit == static_cast<long double>(cap);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }


void CheckShape(const json& out, std::string_view line) {
  FUZZ_CHECK(out.is_object(), "output is not a JSON object");
  FUZZ_CHECK(out.contains("id") && out.contains("verdict") && out.contains("violations"),
             "output lacks id/verdict/violations: ", out.dump());
  const auto& verdict = out["verdict"];
  FUZZ_CHECK(verdict == "allow" || verdict == "reject", "verdict is ", verdict.dump());
  const bool allowed = verdict == "allow";
  FUZZ_CHECK(allowed == (out.contains("sql") && out.contains("max_rows") && out.contains("rewritten")),
             "sql/max_rows/rewritten present iff allowed: ", out.dump());
  if (allowed) {
    FUZZ_CHECK(out["sql"].is_string() && out["max_rows"].is_number_integer() && out["rewritten"].is_boolean(),
               "allowed: wrong types: ", out.dump());
  }
  FUZZ_CHECK(out["violations"].is_array() && (allowed == out["violations"].empty()),
             "violations must be an array, empty iff allowed: ", out.dump());
  for (const auto& v : out["violations"]) {
    FUZZ_CHECK(v.is_object() && v["code"].is_string() && v["message"].is_string() &&
                   v["offset"].is_number_integer() && v["line"].is_number_integer() &&
                   v["column"].is_number_integer() && v["fragment"].is_string(),
               "violation with missing keys or wrong types: ", v.dump());
  }
  (void)line;
}

// The deepest nesting of arrays and objects of a JSON text, counted by
// nlohmann's own tokenizer through its SAX interface (no document is built,
// so no recursion): an oracle independent of verdict_json.cc's byte scan.
// For text that is not JSON, the depth reached before the error.
int NestingDepth(std::string_view text) {
  struct DepthCounter : nlohmann::json_sax<json> {
    int depth = 0, deepest = 0;
    bool open() {
      deepest = std::max(deepest, ++depth);
      return true;
    }
    bool close() {
      --depth;
      return true;
    }
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return open(); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
      return false;
    }
  } counter;
  json::sax_parse(text.begin(), text.end(), &counter);
  return counter.deepest;
}

}  // namespace

std::string CheckRewrite(const Verdict& v, const std::string& statement, const std::string& trail, int64_t cap) {
  const std::string sql = statement + trail;
  const auto original = ParseJson(sql);
  const auto rewritten = ParseJson(v.sql);
  FUZZ_CHECK(original && rewritten, "an allowed statement or its rewrite does not parse");
  // The statement's own text (README: up to its ';', trailing white space
  // dropped), as libpg_query delimits it: a ';' in the trail may sit inside a
  // comment the statement opened ("SELECT ---x ... ;").
  const json& raw = (*original)["stmts"][0];
  const size_t begin = static_cast<size_t>(raw.value("stmt_location", 0));
  const size_t length = static_cast<size_t>(raw.value("stmt_len", 0));
  std::string own = sql.substr(begin, length > 0 ? length : std::string::npos);
  while (!own.empty() && IsSpace(own.back())) own.pop_back();
  const std::string cap_text = std::to_string(cap);

  const json& o = (*original)["stmts"][0]["stmt"];
  const json& r = (*rewritten)["stmts"][0]["stmt"];

  if (!o.contains("SelectStmt")) {  // EXPLAIN: passed through
    FUZZ_CHECK(v.sql == own && Strip(o) == Strip(r), "EXPLAIN changed: \"", Escape(v.sql), "\"");
    return "allow pass-through";
  }
  const json& body = o["SelectStmt"];
  const bool has_count = body.contains("limitCount");
  const bool with_ties = body.value("limitOption", "") == "LIMIT_OPTION_WITH_TIES";
  const auto constant = ConstantLimit(body);
  const bool numeric = has_count && IsNumericConstant(body["limitCount"]) && !with_ties;
  const bool wrapped = IsWrapped(o, r, cap);
  const bool limited = IsLimited(o, r, cap);

  if (numeric && constant && *constant <= static_cast<long double>(cap)) {
    FUZZ_CHECK(v.sql == own, "a LIMIT at or below the cap was not kept: \"", Escape(v.sql), "\"");
    FUZZ_CHECK(Strip(o) == Strip(r), "kept, but the tree changed");
    FUZZ_CHECK(v.max_rows == RowsOf(*constant), "kept LIMIT ", static_cast<double>(*constant),
               " but max_rows ", v.max_rows);
    return "allow keep";
  }
  FUZZ_CHECK(v.max_rows == cap, "rewritten, but max_rows ", v.max_rows, " is not the cap ", cap);
  const std::string wrap_text = "SELECT * FROM (\n" + own + "\n) AS pgsieve_capped LIMIT " + cap_text;
  if (wrapped) {
    FUZZ_CHECK(v.sql == wrap_text, "wrapped, but not byte for byte: \"", Escape(v.sql), "\"");
    return has_count ? "allow wrap" : "allow wrap (append refused)";
  }
  FUZZ_CHECK(!with_ties && (numeric || !has_count),
             "LIMIT ALL/NULL/expression/WITH TIES must be wrapped: \"", Escape(v.sql), "\"");
  FUZZ_CHECK(limited, "the rewrite changed more than the top-level count (or its count is not the cap): \"",
             Escape(v.sql), "\"");
  if (!has_count) {
    const std::string expected = own + (own.find("--") != std::string::npos ? "\nLIMIT " : " LIMIT ") + cap_text;
    FUZZ_CHECK(v.sql == expected, "appended, but not as documented: \"", Escape(v.sql), "\"");
    return "allow append";
  }
  // The constant's token (and only it) became the cap.
  const int at = body["limitCount"]["A_Const"].value("location", -1);
  const long removed = static_cast<long>(own.size()) + static_cast<long>(cap_text.size()) - static_cast<long>(v.sql.size());
  FUZZ_CHECK(at >= 0 && removed > 0 && static_cast<size_t>(at) + static_cast<size_t>(removed) <= own.size() &&
                 v.sql == own.substr(0, at) + cap_text + own.substr(at + removed),
             "clamped, but not by replacing the constant's token: \"", Escape(v.sql), "\"");
  return "allow clamp";
}

void CheckJsonLine(const Firewall& firewall, const pgsieve_firewall* c_firewall, std::string_view line) {
  const std::string out = pgsieve::CheckJsonLine(firewall, line);
  FUZZ_CHECK(out.find('\n') == std::string::npos && out.find('\r') == std::string::npos,
             "an output line holds a line break: ", Escape(out));
  json response = json::parse(out, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!response.is_discarded(), "output is not valid JSON: ", Escape(out));
  CheckShape(response, line);

  const json request = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  const bool well_formed = !request.is_discarded() && request.is_object() && request.contains("sql") &&
                           request["sql"].is_string();
  // README: a request nested deeper than 64 levels is a bad request (echoing
  // such an id recursed once per level and overflowed the stack).
  constexpr int kMaxRequestDepth = 64;
  if (!well_formed || NestingDepth(line) > kMaxRequestDepth) {
    FUZZ_CHECK(response["verdict"] == "reject" && response["violations"].size() == 1 &&
                   response["violations"][0]["code"] == "bad-request",
               "a malformed request did not get one bad-request: ", Escape(out));
    return;
  }
  // Comparing or copying JSON recurses once per level: ids nested deeper than
  // this are checked for presence only, so the checker cannot overflow first.
  constexpr int kComparableDepth = 256;
  const json* id = request.contains("id") ? &request["id"] : nullptr;
  if (NestingDepth(line) <= kComparableDepth) {
    FUZZ_CHECK(id != nullptr ? response["id"] == *id : response["id"].is_null(), "id not returned unchanged: ",
               response["id"].dump(), " vs ", id != nullptr ? id->dump() : "null");
  }
  const std::string& sql = request["sql"].get_ref<const std::string&>();
  const json direct = VerdictToJson(firewall.Check(sql));
  json without_id = std::move(response);
  without_id["id"] = nullptr;
  // Compared as printed: invalid UTF-8 in a message is replaced in both.
  const std::string printed = direct.dump(-1, ' ', false, json::error_handler_t::replace);
  FUZZ_CHECK(without_id.dump() == printed, "JSON Lines verdict differs from Firewall::Check: ", Escape(out), " vs ",
             Escape(printed));
  char* c_out = pgsieve_check_json(c_firewall, sql.data(), sql.size());
  FUZZ_CHECK(c_out != nullptr, "C API returned null");
  const json c_json = json::parse(c_out, nullptr, false);
  pgsieve_free(c_out);
  FUZZ_CHECK(!c_json.is_discarded() && c_json == without_id, "C API verdict differs from JSON Lines: ", Escape(out));
}

}  // namespace pgsieve::fuzz
