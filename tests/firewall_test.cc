// Unit tests of the public API and the pieces the golden cases cannot see:
// policy errors, the JSON Lines contract, the C API, thread safety, text
// positions, and the self-check.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <thread>

#include "pgsieve/fingerprints.h"
#include "pgsieve/firewall.h"
#include "pgsieve/pgsieve.h"
#include "self_check.h"
#include "compiled_policy.h"
#include "function_catalog.h"
#include "name_table.h"
#include "short_name_sets.h"
#include "text_position.h"
#include "verdict_json.h"

namespace pgsieve {
namespace {

Firewall Make(const std::string& toml = "") {
  auto policy = ParsePolicy(toml.empty() ? std::string(DefaultPolicyToml()) : toml, "test");
  EXPECT_TRUE(policy.ok()) << policy.status().message();
  auto fw = Firewall::Create(policy.value());
  EXPECT_TRUE(fw.ok()) << fw.status().message();
  return std::move(fw).value();
}

TEST(SelfCheck, PassesOnThisBuild) { EXPECT_EQ(internal::SelfCheckFailure(), ""); }

TEST(Policy, DefaultMatchesTheStructDefaults) {
  auto parsed = ParsePolicy(DefaultPolicyToml());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Policy d;
  const Policy& p = parsed.value();
  EXPECT_EQ(p.max_rows, d.max_rows);
  EXPECT_EQ(p.max_statement_bytes, d.max_statement_bytes);
  EXPECT_EQ(p.max_depth, d.max_depth);
  EXPECT_EQ(p.search_path, d.search_path);
  EXPECT_EQ(p.explain, d.explain);
  EXPECT_EQ(p.explain_analyze, d.explain_analyze);
  EXPECT_EQ(p.show, d.show);
  EXPECT_EQ(p.standard_conforming_strings, d.standard_conforming_strings);
  EXPECT_EQ(p.relations.allow, d.relations.allow);
  EXPECT_EQ(p.relations.allow_system_catalogs, d.relations.allow_system_catalogs);
  EXPECT_EQ(p.max_generated_rows, d.max_generated_rows);
  EXPECT_EQ(p.max_string_bytes, d.max_string_bytes);
}

TEST(Policy, SyntaxErrorNamesLineAndColumn) {
  auto p = ParsePolicy("max_rows = 10\nexplain = yes\n", "p.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kParseError);
  EXPECT_NE(p.status().message().find("p.toml:2:"), std::string::npos) << p.status().message();
}

TEST(Policy, UnknownKeyIsAnErrorNamingTheKey) {
  auto p = ParsePolicy("max_row = 10\n", "p.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("max_row"), std::string::npos);
  EXPECT_NE(p.status().message().find("p.toml:1:1"), std::string::npos) << p.status().message();
  auto q = ParsePolicy("[relations]\nallowed = []\n", "p.toml");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("relations.allowed"), std::string::npos);
}

TEST(Policy, WrongTypesAndRangesAreErrors) {
  EXPECT_FALSE(ParsePolicy("max_rows = \"10\"").ok());
  EXPECT_FALSE(ParsePolicy("max_rows = -1").ok());
  EXPECT_FALSE(ParsePolicy("max_depth = 100000").ok());
  EXPECT_FALSE(ParsePolicy("search_path = []").ok());
  EXPECT_FALSE(ParsePolicy("[functions]\nallow = [1]").ok());
  EXPECT_FALSE(ParsePolicy("relations = 3").ok());
}

TEST(Policy, BadPatternFailsCreateNamingTheKey) {
  auto p = ParsePolicy("[relations]\nallow = [\"public\\\\.(\"]\n");
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto fw = Firewall::Create(p.value());
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.status().message().find("relations.allow"), std::string::npos);
}

TEST(Policy, UnknownExtensionPackFailsCreate) {
  auto p = ParsePolicy("extensions = [\"pg_trgm\", \"pg_bogus\"]");
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto fw = Firewall::Create(p.value());
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.status().message().find("pg_bogus"), std::string::npos);
  auto types = ParsePolicy("[types]\nallow_schemas = \"app\"\n");
  EXPECT_FALSE(types.ok());
}

// policy_fuzzer: toml++ 3.3.0 reaches __builtin_unreachable or breaks its own
// preconditions on some malformed text (fuzz/regressions/policy_fuzzer/toml-*),
// so only the subset of TOML a policy needs reaches it (src/policy_subset.h).
TEST(Policy, TextOutsideTheTomlSubsetIsRefusedBeforeTomlSeesIt) {
  const char* const inside[] = {
      "max_rows = 10 # caf\xc3\xa9\n[relations]\nallow = [\"public\\\\.caf\xc3\xa9\", 'x\\\xc3\xa9']\n",
      "[functions]\nallow = [\n  \"lower\", # a comment\n\n  'upper',\n]\n",
      "max_rows = 1_000\r\nmax_depth = +50\r\n",
      "\"max_rows\" = 5\n",
      "relations.allow = [\"public\\\\..*\"]\n",
      "[ relations ]\nallow_system_catalogs = false\n",
      "search_path = [\"\\u00e9\", \"\\U0001F600\"]\n",
      "",
      "# only a comment",
  };
  for (const char* text : inside) {
    auto p = ParsePolicy(text, "p.toml");
    EXPECT_TRUE(p.ok()) << text << "\n=> " << p.status().message();
  }
  struct Outside {
    const char* text;
    const char* where;  // "p.toml:LINE:COLUMN"
  };
  const Outside outside[] = {
      {"max_rows = 10\nk\xc3\xa9y = 1\n", "p.toml:2:2"},               // non-ASCII outside a string
      {"max_rows = 1\xe9\n", "p.toml:1:13"},                           // Latin-1 byte
      {"s = \"a\xff\"\n", "p.toml:1:7"},                                 // invalid UTF-8 in a string
      {"# caf\xc3\n", "p.toml:1:6"},                                     // truncated UTF-8 in a comment
      {"[~", "p.toml:1:2"},                                            // toml++ #294: asserted precondition
      {"a=[}", "p.toml:1:4"},                                          // toml++ #301
      {"s = \"\"\"\\\n\xc2\xa7\"\"\"", "p.toml:1:7"},                   // #190: multi-line string
      {"search_path = [\"\"\"sch\n\xc3\xa9mas\"\"\"]\n", "p.toml:1:18"},  // multi-line string
      {"max_rows = 1.5\n", "p.toml:1:13"},                             // float
      {"max_rows = 0x10\n", "p.toml:1:13"},                            // hex integer
      {"relations = {allow = []}\n", "p.toml:1:13"},                   // inline table
      {"[[relations]]\n", "p.toml:1:2"},                               // array of tables
      {"allow = [[\"a\"]]\n", "p.toml:1:10"},                           // nested array
      {"s = \"a\\qb\"\n", "p.toml:1:7"},                                // unknown escape
      {"s = \"a\x01\"\n", "p.toml:1:7"},                                 // control character
      {"s = 'open\nmax_rows = 1\n", "p.toml:1:10"},                     // unterminated string
      {"max_rows = 1 2\n", "p.toml:1:14"},
      {"a = [1,\n", "p.toml:2:1"},                                     // unterminated array
  };
  for (const Outside& o : outside) {
    auto p = ParsePolicy(o.text, "p.toml");
    ASSERT_FALSE(p.ok()) << o.text;
    EXPECT_EQ(p.status().code(), StatusCode::kParseError) << o.text;
    EXPECT_NE(p.status().message().find(std::string(o.where) + ": "), std::string::npos)
        << o.text << "\n=> " << p.status().message();
  }
}

TEST(Policy, MissingFileIsNotFound) {
  auto p = LoadPolicyFile("/nonexistent/policy.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

// Check(sql, &verdict) with `sql` pointing into the verdict itself: checking
// a verdict's own text again is natural (idempotence), and clearing the
// verdict first would pull the text from under the check.
TEST(Verdict, CheckingAVerdictsOwnTextIntoItIsSafe) {
  const Firewall fw = Make();
  const std::string long_select = "select id, " + std::string(3000, ' ') + "name from orders where id > 1";
  for (const std::string& given : {std::string("select 1"), std::string("select id from orders"), long_select}) {
    Verdict v;
    fw.Check(given, &v);
    ASSERT_TRUE(v.allowed()) << given;
    const Verdict fresh = fw.Check(v.sql);
    fw.Check(v.sql, &v);
    ASSERT_TRUE(v.allowed()) << given;
    EXPECT_EQ(v.sql, fresh.sql) << given;
    EXPECT_FALSE(v.rewritten) << "a returned statement is a fixed point: " << given;
  }
  Verdict rejected;
  fw.Check("select pg_sleep(5), pg_read_file('/etc/passwd') from orders", &rejected);
  ASSERT_EQ(rejected.violations.size(), 2u);
  const std::string fragment = rejected.violations[1].fragment;
  const Verdict fresh = fw.Check(fragment);
  fw.Check(rejected.violations[1].fragment, &rejected);
  EXPECT_EQ(rejected.decision, fresh.decision);
  ASSERT_EQ(rejected.violations.size(), fresh.violations.size());
  for (size_t i = 0; i < fresh.violations.size(); ++i) {
    EXPECT_EQ(rejected.violations[i].code, fresh.violations[i].code);
    EXPECT_EQ(rejected.violations[i].fragment, fresh.violations[i].fragment);
  }
}

TEST(Verdict, ViolationCarriesPositionAndFragment) {
  const Firewall fw = Make();
  const Verdict v = fw.Check("select 1,\n  pg_sleep(5) as x");
  ASSERT_FALSE(v.allowed());
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].code, "function-not-allowed");
  EXPECT_EQ(v.violations[0].offset, 12);
  EXPECT_EQ(v.violations[0].line, 2);
  EXPECT_EQ(v.violations[0].column, 3);
  EXPECT_EQ(v.violations[0].fragment, "pg_sleep(5) as x");
}

// Nodes without a location of their own (a write inside WITH, the node where
// the depth cap is hit, a field selection) are reported at the nearest
// location above them; the walk finds it only after the fact (NearestLocations).
TEST(Verdict, ViolationsOfLocationlessNodesPointAtTheNearestEnclosingNode) {
  const Firewall fw = Make();
  auto first = [](const Verdict& v) { return v.violations.empty() ? Violation{} : v.violations[0]; };
  Violation x = first(fw.Check("WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d"));
  EXPECT_EQ(x.code, "data-modifying-cte");
  EXPECT_EQ(x.offset, 5) << "the CTE's name";
  x = first(fw.Check("SELECT 1 FROM t WHERE a = (SELECT 2 FROM t2 WHERE x IN "
                     "(WITH q AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT * FROM q))"));
  EXPECT_EQ(x.code, "data-modifying-cte");
  EXPECT_EQ(x.offset, 61) << "the nested CTE's name";
  x = first(fw.Check("SELECT (t.x).pg_sleep FROM t"));
  EXPECT_EQ(x.code, "function-not-allowed");
  EXPECT_EQ(x.offset, 7) << "the select-list item holding the indirection";
  const Firewall shallow = Make("max_depth = 9\n");
  x = first(shallow.Check("SELECT 1 + (2 + (3 + (4 + (5 + (6 + 7)))))"));
  EXPECT_EQ(x.code, "too-deep");
  EXPECT_EQ(x.offset, 27) << "the deepest operator entered before the cap";
}

// The walk settles constants, plain columns and select-list items of them
// without visiting their leaves one by one; the depth cap must still count
// every level: RawStmt, SelectStmt, ResTarget, A_Const/ColumnRef, value.
TEST(Verdict, DepthCapCountsTheLeavesOfSettledNodes) {
  const Firewall four = Make("max_depth = 4\n");
  const Firewall five = Make("max_depth = 5\n");
  for (const char* sql : {"SELECT 1", "SELECT a FROM t", "SELECT t.a FROM t", "SELECT 'x'"}) {
    const Verdict v = four.Check(sql);
    ASSERT_FALSE(v.allowed()) << sql;
    ASSERT_EQ(v.violations.size(), 1u) << sql;
    EXPECT_EQ(v.violations[0].code, "too-deep") << sql;
    EXPECT_TRUE(five.Check(sql).allowed()) << sql;
  }
  EXPECT_TRUE(four.Check("SELECT NULL").allowed()) << "a NULL constant has no value below it";
}

TEST(Verdict, ParseErrorCarriesPostgresMessageAndPosition) {
  const Firewall fw = Make();
  const Verdict v = fw.Check("select 'éé', from t");
  ASSERT_FALSE(v.allowed());
  ASSERT_EQ(v.violations.size(), 1u);
  EXPECT_EQ(v.violations[0].code, "parse-error");
  EXPECT_NE(v.violations[0].message.find("syntax error at or near \"from\""), std::string::npos)
      << v.violations[0].message;
  EXPECT_EQ(v.violations[0].offset, 15);  // bytes: each é is two
  EXPECT_EQ(v.violations[0].column, 14);  // characters
}

TEST(Verdict, AllViolationsAreReportedInDocumentOrder) {
  const Firewall fw = Make();
  const Verdict v = fw.Check("select pg_sleep(1), x from pg_authid, lateral dblink('x','y') for update");
  ASSERT_FALSE(v.allowed());
  std::vector<std::string> codes;
  for (const auto& x : v.violations) codes.push_back(x.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"locking-clause", "function-not-allowed", "relation-not-allowed",
                                             "function-not-allowed"}));
  for (size_t i = 1; i < v.violations.size(); ++i) EXPECT_LE(v.violations[i - 1].offset, v.violations[i].offset);
}

TEST(Jsonl, AllowedLineCarriesCappedSqlOutsideTheComment) {
  const Firewall fw = Make();
  const auto out = nlohmann::json::parse(CheckJsonLine(fw, R"({"id":1,"sql":"select * from orders -- newest"})"));
  EXPECT_EQ(out["id"], 1);
  EXPECT_EQ(out["verdict"], "allow");
  EXPECT_EQ(out["max_rows"], 1000);
  EXPECT_EQ(out["sql"], "select * from orders -- newest\nLIMIT 1000");
  EXPECT_TRUE(out["violations"].empty());
}

TEST(Jsonl, IdOfAnyTypeIsEchoedAndMissingIdIsNull) {
  const Firewall fw = Make();
  auto out = nlohmann::json::parse(CheckJsonLine(fw, R"({"id":{"a":[1,"x"]},"sql":"delete from t"})"));
  EXPECT_EQ(out["id"], nlohmann::json::parse(R"({"a":[1,"x"]})"));
  EXPECT_EQ(out["verdict"], "reject");
  EXPECT_FALSE(out.contains("sql"));
  EXPECT_EQ(out["violations"][0]["code"], "delete-statement");
  for (const char* key : {"code", "message", "offset", "line", "column", "fragment"}) {
    EXPECT_TRUE(out["violations"][0].contains(key)) << key;
  }
  out = nlohmann::json::parse(CheckJsonLine(fw, R"({"sql":"select 1"})"));
  EXPECT_TRUE(out["id"].is_null());
}

TEST(Jsonl, BadRequestsGetARejectAndNeverThrow) {
  const Firewall fw = Make();
  for (const char* line : {"", "not json", "[1,2]", "{\"id\":3}", "{\"sql\":5}", "{\"sql\":\"\\u0000\"}",
                           "{\"id\":1,\"sql\":\"select 1\"", "\xff\xfe"}) {
    const auto out = nlohmann::json::parse(CheckJsonLine(fw, line));
    EXPECT_EQ(out["verdict"], "reject") << line;
    ASSERT_FALSE(out["violations"].empty()) << line;
  }
  auto out = nlohmann::json::parse(CheckJsonLine(fw, "not json"));
  EXPECT_EQ(out["violations"][0]["code"], "bad-request");
  out = nlohmann::json::parse(CheckJsonLine(fw, "{\"id\":7,\"sql\":5}"));
  EXPECT_EQ(out["id"], 7);
  EXPECT_EQ(out["violations"][0]["code"], "bad-request");
}

// jsonl_fuzzer: an "id" nested 100,000 levels deep overflowed the stack when
// it was echoed back (fuzz/regressions/jsonl_fuzzer/deep-id-stack-overflow).
TEST(Jsonl, DeeplyNestedRequestIsABadRequestNotACrash) {
  const Firewall fw = Make();
  const std::string deep = "{\"id\":" + std::string(100000, '[') + std::string(100000, ']') + ",\"sql\":\"select 1\"}";
  const auto out = nlohmann::json::parse(CheckJsonLine(fw, deep));
  EXPECT_EQ(out["violations"][0]["code"], "bad-request");
  const std::string shallow = "{\"id\":" + std::string(10, '[') + std::string(10, ']') + ",\"sql\":\"select 1\"}";
  EXPECT_EQ(nlohmann::json::parse(CheckJsonLine(fw, shallow))["verdict"], "allow");
}

// check_fuzzer: PostgreSQL quoted half of a multi-byte character in its error
// message, so the message was not valid UTF-8 (fuzz/regressions/check_fuzzer/pg-message-utf8).
// check_fuzzer: the too-large offset could fall inside a multi-byte
// character (fuzz/regressions/check_fuzzer/too-large-mid-character).
TEST(Verdict, TooLargePointsAtACharacterBoundary) {
  const Firewall fw = Make("max_statement_bytes = 9");
  const Verdict v = fw.Check("select 'ééé'");  // byte 9 is the second byte of an é
  ASSERT_FALSE(v.allowed());
  EXPECT_EQ(v.violations[0].offset, 8);
  EXPECT_EQ(v.violations[0].fragment.rfind("é", 0), 0u) << v.violations[0].fragment;
}

TEST(Verdict, ParseErrorMessagesAreValidUtf8) {
  const Verdict v = Make().Check("select 1\xe6\x9c\xac");
  ASSERT_FALSE(v.allowed());
  EXPECT_EQ(internal::FindInvalidUtf8OrNul(v.violations[0].message), std::string_view::npos) << v.violations[0].message;
}

TEST(CApi, ChecksWithTheDefaultPolicyAndReportsPolicyErrors) {
  char* error = nullptr;
  pgsieve_firewall* fw = pgsieve_firewall_new(nullptr, &error);
  ASSERT_NE(fw, nullptr);
  EXPECT_EQ(error, nullptr);
  const std::string sql = "select 1 from t";
  char* verdict = pgsieve_check_json(fw, sql.data(), sql.size());
  ASSERT_NE(verdict, nullptr);
  const auto j = nlohmann::json::parse(verdict);
  EXPECT_EQ(j["verdict"], "allow");
  EXPECT_EQ(j["sql"], "select 1 from t LIMIT 1000");
  pgsieve_free(verdict);
  const char nul_sql[] = {'s', 'e', 'l', 'e', 'c', 't', ' ', '1', '\0', ';'};
  verdict = pgsieve_check_json(fw, nul_sql, sizeof(nul_sql));
  EXPECT_EQ(nlohmann::json::parse(verdict)["violations"][0]["code"], "invalid-encoding");
  pgsieve_free(verdict);
  pgsieve_firewall_free(fw);

  EXPECT_EQ(pgsieve_firewall_new("max_rows = nope", &error), nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("policy:1:"), std::string::npos) << error;
  pgsieve_free(error);
}

TEST(Threads, OneFirewallManyThreadsSameVerdicts) {
  const Firewall fw = Make();
  const std::vector<std::string> statements = {
      "select * from orders", "select pg_sleep(1)", "with x as (delete from t returning 1) select * from x",
      "select a, count(*) from t group by a order by 2 desc limit 5000", "select * from pg_shadow"};
  std::vector<Verdict> expected;
  for (const auto& s : statements) expected.push_back(fw.Check(s));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        const size_t k = static_cast<size_t>(i) % statements.size();
        const Verdict v = fw.Check(statements[k]);
        if (v.allowed() != expected[k].allowed() || v.sql != expected[k].sql ||
            v.violations.size() != expected[k].violations.size()) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(TextPosition, Utf8Validation) {
  using internal::FindInvalidUtf8OrNul;
  EXPECT_EQ(FindInvalidUtf8OrNul("select 'é€𝄞'"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8OrNul(std::string_view("ab\0c", 4)), 2u);
  EXPECT_EQ(FindInvalidUtf8OrNul("a\xC0\xAF"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8OrNul("a\xED\xA0\x80"), 1u);      // surrogate
  EXPECT_EQ(FindInvalidUtf8OrNul("ab\xE2\x82"), 2u);         // truncated
  EXPECT_EQ(FindInvalidUtf8OrNul("\xF4\x90\x80\x80"), 0u);   // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8OrNul("\x80"), 0u);               // lone continuation
}

TEST(TextPosition, LineColumnCountsCharacters) {
  const std::string text = "ab\ncé d";
  auto lc = internal::LineColumnOf(text, text.find('d'));
  EXPECT_EQ(lc.line, 2);
  EXPECT_EQ(lc.column, 4);
  EXPECT_EQ(internal::LineAt(text, text.find('d')), "cé d");
  EXPECT_EQ(internal::CharCursorToByteOffset(text, 6), static_cast<int>(text.find(' ')));
}

}  // namespace
}  // namespace pgsieve

namespace pgsieve {
namespace {

TEST(Modes, DetectAllowsUnchangedWithWouldReject) {
  const Firewall fw = Make("mode = \"detect\"");
  const Verdict bad = fw.Check("delete from orders");
  EXPECT_TRUE(bad.allowed());
  EXPECT_TRUE(bad.would_reject);
  EXPECT_EQ(bad.sql, "delete from orders");
  ASSERT_EQ(bad.violations.size(), 1u);
  EXPECT_EQ(bad.violations[0].code, "delete-statement");
  const Verdict good = fw.Check("select 1 from t");
  EXPECT_FALSE(good.would_reject);
  EXPECT_EQ(good.sql, "select 1 from t LIMIT 1000");
}

TEST(Modes, LearnReportsFingerprintsThatIgnoreConstants) {
  const Firewall fw = Make("mode = \"learn\"");
  const Verdict a = fw.Check("select * from t where id = 5");
  const Verdict b = fw.Check("SELECT *\n FROM t WHERE id = 77 -- other constant");
  const Verdict c = fw.Check("select * from t where name = 'x'");
  ASSERT_TRUE(a.allowed());
  EXPECT_EQ(a.fingerprint.size(), 16u);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_NE(a.fingerprint, c.fingerprint);
  EXPECT_TRUE(Make().Check("select 1").fingerprint.empty()) << "enforce mode does not fingerprint";
  EXPECT_FALSE(fw.Check("delete from t").allowed()) << "learn mode still enforces";
}

TEST(Modes, RequireAcceptsOnlyLearnedShapes) {
  // Learned as the statements run: capped.
  const Firewall learn = Make("mode = \"learn\"");
  FingerprintRecorder recorder;
  for (const char* sql : {"select * from t where id = 5", "select * from t where id = 6"}) {
    const Verdict v = learn.Check(sql);
    recorder.Add(v.fingerprint, v.sql);
  }
  EXPECT_EQ(recorder.size(), 1u);
  std::ostringstream file;
  recorder.Write(file);
  EXPECT_NE(file.str().find("\t2\tselect * from t where id = $1 LIMIT $2\n"), std::string::npos) << file.str();
  char path[] = "/tmp/pgsieve-fp-XXXXXX";
  const int fd = mkstemp(path);
  { std::ofstream(path) << file.str(); }
  const Firewall fw = Make(std::string("fingerprints = \"require\"\nfingerprint_file = \"") + path + "\"");
  const Verdict allowed = fw.Check("select * from t where id = 42");
  ASSERT_TRUE(allowed.allowed());
  EXPECT_EQ(fw.Check(allowed.sql).sql, allowed.sql) << "the capped statement is a fixed point";
  const Verdict other = fw.Check("select * from t where name = 'x'");
  ASSERT_FALSE(other.allowed());
  EXPECT_EQ(other.violations[0].code, "fingerprint-not-allowed");
  EXPECT_FALSE(fw.Check("delete from t where id = 5").allowed()) << "the structural policy still applies";
  close(fd);
  unlink(path);
  auto missing = ParsePolicy("fingerprints = \"require\"\nfingerprint_file = \"/nonexistent.fp\"");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(Firewall::Create(missing.value()).ok());
}

TEST(Modes, BadModeValuesAreErrors) {
  EXPECT_FALSE(ParsePolicy("mode = \"audit\"").ok());
  EXPECT_FALSE(ParsePolicy("fingerprints = true").ok());
  EXPECT_FALSE(FingerprintSet::Parse("zz\t1\tselect 1\n").ok());
}

}  // namespace
}  // namespace pgsieve

namespace pgsieve::internal {
namespace {

TEST(TextFacts, OnePassFindsEncodingProblemsAndHints) {
  EXPECT_EQ(ScanText("select 'é' from t").invalid_at, std::string_view::npos);
  EXPECT_EQ(ScanText(std::string_view("select 1\0 from t", 16)).invalid_at, 8u);
  EXPECT_EQ(ScanText("select 1 from t where a = 'x\xC0\xAF'").invalid_at, 28u);
  EXPECT_TRUE(ScanText("select 'a\\b'").backslash);
  EXPECT_FALSE(ScanText("select 'ab'").backslash);
  EXPECT_TRUE(ScanText("select * from t LiMiT 5").limit_or_fetch);
  EXPECT_TRUE(ScanText("select * from t order by 1 FETCH first 5 rows only").limit_or_fetch);
  // Across the 16-byte blocks of the vector search, at the text's edges.
  EXPECT_TRUE(ScanText("select a, b  LIMIT 7 -- of forty bytes..").limit_or_fetch);
  EXPECT_TRUE(ScanText("fetch first 1 row only, padding of bytes").limit_or_fetch);
  EXPECT_TRUE(ScanText("select padding, padding, padding, x limiT").limit_or_fetch);
  EXPECT_FALSE(ScanText("select mmmmmmmmmmmmmmmm, hhhhhhhhhhh, limi, etch").limit_or_fetch);
  EXPECT_FALSE(ScanText("select limits from t where a = 1 and b = 2 and c = 3 and d = 4 and e = 5 and f = 6 and "
                        "g = 7 and h = 8 and i = 9 and j = 10 order by 1")
                   .limit_or_fetch)
      << "only the tail is searched: a word further in cannot be the statement's own LIMIT";
  EXPECT_TRUE(ContainsPair("select 1 -- c", '-', '-'));
  EXPECT_TRUE(ScanText("select 1 -- a comment that is long enough").maybe_dash);
  EXPECT_TRUE(ScanText("select 'é' -- short").maybe_dash);
  EXPECT_FALSE(ScanText("select a, b from a_rather_long_table").maybe_dash);
  EXPECT_TRUE(ContainsPair("select /* c */ 1", '/', '*'));
  EXPECT_FALSE(ContainsPair("select 1 - -1", '-', '-'));
}

TEST(NameTable, FindsEveryKeyAndNothingElse) {
  std::unordered_map<std::string_view, uint8_t> entries;
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back("name_" + std::to_string(i));
  for (size_t i = 0; i < keys.size(); ++i) entries[keys[i]] = static_cast<uint8_t>(1 + i % 200);
  const NameTable table(entries);
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(table.Find(keys[i]), 1 + i % 200) << keys[i];
  EXPECT_EQ(table.Find("name_3000"), 0);
  EXPECT_EQ(table.Find(""), 0);
  EXPECT_EQ(NameTable().Find("x"), 0);
}

TEST(ShortNameSets, ShortSetIsExactAndPrefilterHasNoFalseNegatives) {
  ShortNameSet ops;
  for (const char* op : {"=", "<>", "~~", "||", "abc", ""}) ops.Add(op);
  for (const char* op : {"=", "<>", "~~", "||"}) EXPECT_TRUE(ops.Contains(op)) << op;
  for (const char* op : {"<", "==", "=<", "abc", "", "~~*", "|"}) EXPECT_FALSE(ops.Contains(op)) << op;
  NamePrefilter names;
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back(std::string("f").append(std::to_string(i * 7919)));
  keys.insert(keys.end(), {"", "a", "ab", "pg_sleep"});
  for (const std::string& k : keys) names.Add(k);
  for (const std::string& k : keys) EXPECT_TRUE(names.MayContain(k.c_str())) << k;
  int false_positives = 0;
  for (const char* column : {"id", "name", "age", "country", "year", "title", "price", "city", "email", "status"}) {
    false_positives += names.MayContain(column);
  }
  EXPECT_LT(false_positives, 5) << "the filter should let most column names through without a lookup";
}

// The walker's fast answers must agree with the exact checks for every name
// of the catalog, under the default policy and one with a deny list.
TEST(ShortNameSets, FastAnswersAgreeWithTheExactChecks) {
  for (const std::string& toml :
       {std::string(DefaultPolicyToml()), std::string("[functions]\ndeny = [\"lower\", \"id\"]\n")}) {
    auto policy = ParsePolicy(toml, "test");
    ASSERT_TRUE(policy.ok()) << policy.status().message();
    auto compiled = CompiledPolicy::Compile(policy.value());
    ASSERT_TRUE(compiled.ok()) << compiled.status().message();
    const CompiledPolicy& cp = *compiled.value();
    std::vector<std::string> names;
    for (const CatalogRow& r : AllFunctionRows()) names.emplace_back(r.name);
    names.insert(names.end(), {"id", "name", "lower", "oid", "version", "pg_sleep"});
    for (const std::string& name : names) {
      if (cp.AttributeMayBeRefused(name.c_str())) continue;
      EXPECT_FALSE(cp.CheckAttributeName(name, CompiledPolicy::AttributeArgument::kRow)) << name;
      EXPECT_FALSE(cp.CheckAttributeName(name, CompiledPolicy::AttributeArgument::kAnyValue)) << name;
    }
    for (const CatalogRow& r : AllOperatorRows()) {
      const std::string op(r.name);
      if (cp.IsAllowedShortOperator(op.c_str())) {
        EXPECT_FALSE(cp.CheckOperator("", op)) << op;
      }
      if (op.size() <= 2 && !cp.CheckOperator("", op)) {
        EXPECT_TRUE(cp.IsAllowedShortOperator(op.c_str())) << op;
      }
    }
    if (cp.AllowsUnqualifiedRelations()) {
      for (const char* rel : {"orders", "users", "information_schema", "pgx", "p"}) {
        EXPECT_FALSE(cp.CheckRelation("", rel)) << rel;
      }
    }
  }
}

}  // namespace
}  // namespace pgsieve::internal
