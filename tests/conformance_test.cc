// Conformance: the raw-tree walker against libpg_query's JSON output, an
// independent view of the same parse (different code, built from the same
// struct definitions). For every corpus statement:
//  - allowed: the multiset of nodes the walker visited (kind, location) equals
//    the multiset of nodes in the JSON; typed children, which the JSON shows
//    without a type wrapper, are counted by their field's type (pg_query.proto);
//  - rejected: every node the walker visited appears in the JSON.
// A field the generated visitors skipped would show up as a missing node.
// Each statement is also checked without an observer (the one-parse fast
// path) and must get the same verdict.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "check.h"
#include "json_nodes.h"
#include "pg_nodes.h"
#include "test_paths.h"

namespace pgsieve::internal {
namespace {

using pgsieve::testing::NodeBag;

// libpg_query's JSON view of `sql` (empty when it does not parse). Every node
// in it must be a pg_query.proto kind in a well-formed wrapper.
NodeBag JsonNodes(const std::string& sql) {
  NodeBag bag;
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  if (r.error == nullptr) bag = pgsieve::testing::JsonNodes(nlohmann::json::parse(r.parse_tree));
  pg_query_free_parse_result(r);
  for (const auto& [key, n] : bag) EXPECT_TRUE(pgsieve::testing::IsNodeKind(key.first)) << key.first << ": " << sql;
  return bag;
}

struct Totals {
  int statements = 0;
  int allowed = 0;
  long nodes = 0;
};

void CheckFile(const std::string& file, Totals& totals) {
  Policy policy;
  policy.max_statement_bytes = 1 << 24;
  auto compiled = CompiledPolicy::Compile(policy);
  ASSERT_TRUE(compiled.ok());
  for (const std::string& sql : testing::ReadRecords(testing::SourcePath(file))) {
    pgsieve::testing::NodeRecorder rec;
    const Verdict v = CheckStatement(*compiled.value(), sql, &rec);
    // Without an observer the one-parse fast path may run (check.cc,
    // TrySpeculativeAppend); it must reach exactly the same verdict.
    const Verdict fast = CheckStatement(*compiled.value(), sql);
    EXPECT_EQ(fast.allowed(), v.allowed()) << sql;
    EXPECT_EQ(fast.sql, v.sql) << sql;
    EXPECT_EQ(fast.max_rows, v.max_rows) << sql;
    ASSERT_EQ(fast.violations.size(), v.violations.size()) << sql;
    for (size_t i = 0; i < v.violations.size(); ++i) {
      EXPECT_EQ(fast.violations[i].code, v.violations[i].code) << sql;
      EXPECT_EQ(fast.violations[i].offset, v.violations[i].offset) << sql;
      EXPECT_EQ(fast.violations[i].fragment, v.violations[i].fragment) << sql;
    }
    const NodeBag json = JsonNodes(sql);
    ++totals.statements;
    if (v.allowed()) {
      ++totals.allowed;
      for (const auto& [k, n] : json) totals.nodes += n;
      EXPECT_EQ(rec.entered(), json) << "walker and JSON disagree on: " << sql;
      continue;
    }
    // Rejected: what was visited must exist in the JSON.
    for (const auto& [key, n] : rec.entered()) {
      auto it = json.find(key);
      EXPECT_TRUE(it != json.end() && it->second >= n)
          << "walker visited " << key.first << "@" << key.second << " x" << n << " not in JSON: " << sql;
    }
    for (const auto& [kind, n] : rec.not_entered()) {
      int in_json = 0;
      for (const auto& [key, count] : json) {
        if (key.first == kind) in_json += count;
      }
      EXPECT_GE(in_json, n) << "walker saw " << kind << " not in JSON: " << sql;
    }
  }
}

TEST(Conformance, RegressionStatements) {
  Totals t;
  CheckFile("tests/data/regress_all.sql", t);
  EXPECT_GT(t.statements, 30000);
  EXPECT_GT(t.allowed, 5000);  // the equality check must have run on many statements
  std::cout << "[conformance] regress_all: " << t.statements << " statements, " << t.allowed
            << " allowed and compared node for node (" << t.nodes << " nodes)\n";
}

TEST(Conformance, TextToSqlStatements) {
  Totals t;
  CheckFile("tests/data/text2sql.sql", t);
  EXPECT_GT(t.statements, 4000);
  EXPECT_GT(t.allowed, 4000);
  std::cout << "[conformance] text2sql: " << t.statements << " statements, " << t.allowed
            << " allowed and compared node for node (" << t.nodes << " nodes)\n";
}

}  // namespace
}  // namespace pgsieve::internal
