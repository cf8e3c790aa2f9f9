// Replays every golden case of tests/cases/*.test through the Firewall.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "golden_case.h"
#include "pgsieve/firewall.h"
#include "test_paths.h"

namespace pgsieve::testing {
namespace {

std::vector<GoldenCase> AllCases() { return ReadGoldenCaseDir(SourcePath("tests/cases")); }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, BehavesAsStated) {
  const GoldenCase& c = GetParam();
  SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " " + c.name);
  ASSERT_EQ(c.name.rfind("MALFORMED", 0), std::string::npos) << c.name;
  ASSERT_TRUE(c.verdict == "allow" || c.verdict == "reject") << "missing or bad ::: verdict";

  auto policy = c.policy.empty() ? ParsePolicy(DefaultPolicyToml(), "default") : ParsePolicy(c.policy, c.name);
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto firewall = Firewall::Create(policy.value());
  ASSERT_TRUE(firewall.ok()) << firewall.status().message();

  const Verdict v = firewall.value().Check(c.sql);
  std::set<std::string> codes;
  for (const Violation& x : v.violations) {
    codes.insert(x.code);
    EXPECT_LE(static_cast<size_t>(x.offset), c.sql.size()) << x.code;
    EXPECT_GE(x.line, 1);
    EXPECT_GE(x.column, 1);
    EXPECT_FALSE(x.message.empty());
  }
  std::string shown;
  for (const Violation& x : v.violations) shown += "\n  " + x.code + " @" + std::to_string(x.offset) + ": " + x.message;

  if (c.fingerprint) {
    EXPECT_EQ(v.fingerprint, *c.fingerprint);
  }
  if (c.would_reject) {
    // Detect mode: allowed as given, with what enforce mode would have said.
    ASSERT_EQ(c.verdict, "allow") << "::: would-reject goes with ::: verdict allow";
    ASSERT_TRUE(v.allowed()) << "expected allow (would-reject), got reject:" << shown;
    EXPECT_TRUE(v.would_reject) << "expected would_reject";
    EXPECT_EQ(codes, c.codes) << shown;
    EXPECT_EQ(v.sql, c.sql) << "a would-reject statement runs as given";
    EXPECT_FALSE(v.rewritten);
  } else {
    EXPECT_FALSE(v.would_reject) << shown;
  }
  if (c.verdict == "allow") {
    ASSERT_TRUE(v.allowed()) << "expected allow, got reject:" << shown;
    if (c.rewritten) {
      EXPECT_EQ(v.sql, *c.rewritten);
    }
    if (c.cap) {
      EXPECT_EQ(v.max_rows, *c.cap);
    }
    // Idempotent: the returned statement is allowed again, unchanged.
    const Verdict again = firewall.value().Check(v.sql);
    ASSERT_TRUE(again.allowed()) << "rewritten statement rejected: " << v.sql;
    EXPECT_EQ(again.sql, v.sql);
    EXPECT_EQ(again.max_rows, v.max_rows);
    EXPECT_LE(v.max_rows, policy.value().max_rows);
  } else {
    ASSERT_FALSE(v.allowed()) << "expected reject, got allow: " << v.sql;
    EXPECT_EQ(codes, c.codes) << shown;
    if (c.offset) {
      ASSERT_FALSE(v.violations.empty());
      EXPECT_EQ(v.violations.front().offset, *c.offset) << shown;
    }
  }
  if (c.message_contains) {
    ASSERT_FALSE(v.violations.empty());
    EXPECT_NE(Lower(v.violations.front().message).find(Lower(*c.message_contains)), std::string::npos) << shown;
  }
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string name;
  for (char ch : info.param.name) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(AllCases()), CaseName);

// The suite must not pass vacuously.
TEST(GoldenSuite, HasEnoughCasesAndCoversEveryCode) {
  const auto cases = AllCases();
  EXPECT_GE(cases.size(), 300u);
  std::set<std::string> names;
  std::set<std::string> codes;
  for (const auto& c : cases) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case name " << c.name;
    codes.insert(c.codes.begin(), c.codes.end());
  }
  for (const char* code :
       {"parse-error", "empty-statement", "multiple-statements", "invalid-encoding", "too-large", "too-deep",
        "insert-statement", "update-statement", "delete-statement", "ddl-statement", "set-statement",
        "transaction-statement", "copy-statement", "select-into", "locking-clause", "data-modifying-cte",
        "explain-analyze", "function-not-allowed", "relation-not-allowed", "ambiguous-string-literal",
        "resource-limit", "operator-not-allowed", "type-not-allowed", "revoke-statement",
        "fingerprint-not-allowed"}) {
    EXPECT_TRUE(codes.count(code)) << "no golden case expects " << code;
  }
}

}  // namespace
}  // namespace pgsieve::testing
