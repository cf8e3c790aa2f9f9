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
#include "pg_nodes.h"
#include "test_paths.h"

namespace pgsieve::internal {
namespace {

#include "proto_fields.inc"

using NodeKey = std::pair<std::string, int>;  // kind, location (-1 = none)
using NodeBag = std::map<NodeKey, int>;

class ProtoView {
 public:
  ProtoView() {
    for (const auto& f : kProtoTypedFields) typed_[{f.message, f.field}] = f.type;
    for (const char* k : kAllNodeKinds) kinds_.insert(k);
    for (const char* k : kKindsWithLocation) with_location_.insert(k);
  }
  const char* TypedField(const std::string& message, const std::string& field) const {
    auto it = typed_.find({message, field});
    return it == typed_.end() ? nullptr : it->second;
  }
  bool IsKind(const std::string& k) const { return kinds_.count(k) > 0; }
  bool HasLocation(const std::string& k) const { return with_location_.count(k) > 0; }

 private:
  std::map<std::pair<std::string, std::string>, const char*> typed_;
  std::set<std::string> kinds_;
  std::set<std::string> with_location_;
};

const ProtoView& Proto() {
  static const ProtoView view;
  return view;
}

void CollectObject(const nlohmann::json& obj, const std::string& kind, NodeBag& bag);

// A Node-typed position: {"Kind": {...}}, or {} for a null list element.
void CollectWrapper(const nlohmann::json& w, NodeBag& bag) {
  if (!w.is_object() || w.empty()) return;
  ASSERT_EQ(w.size(), 1u) << w.dump();
  const std::string kind = w.begin().key();
  ASSERT_TRUE(Proto().IsKind(kind)) << kind;
  CollectObject(w.begin().value(), kind, bag);
}

void CollectObject(const nlohmann::json& obj, const std::string& kind, NodeBag& bag) {
  int location = -1;
  if (Proto().HasLocation(kind)) location = obj.contains("location") ? obj["location"].get<int>() : 0;
  ++bag[{kind, location}];
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (const char* type = Proto().TypedField(kind, it.key())) {
      if (it.value().is_object()) CollectObject(it.value(), type, bag);
      continue;
    }
    if (it.value().is_object()) {
      CollectWrapper(it.value(), bag);
    } else if (it.value().is_array()) {
      for (const auto& item : it.value()) CollectWrapper(item, bag);
    }
  }
}

NodeBag JsonNodes(const std::string& sql) {
  NodeBag bag;
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  if (r.error == nullptr) {
    const auto tree = nlohmann::json::parse(r.parse_tree);
    for (const auto& stmt : tree["stmts"]) CollectObject(stmt, "RawStmt", bag);
  }
  pg_query_free_parse_result(r);
  return bag;
}

class Recorder : public NodeObserver {
 public:
  void OnNode(NodeTag tag, int location, bool entered) override {
    const char* name = NodeKindName(tag);
    std::string kind = name != nullptr ? std::string(name) : std::string("?");
    if (name == nullptr) kind.append(std::to_string(static_cast<int>(tag)));
    if (entered) {
      ++entered_[{kind, location}];
    } else {
      ++not_entered_[kind];
    }
  }
  NodeBag entered_;
  std::map<std::string, int> not_entered_;
};

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
    Recorder rec;
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
      EXPECT_EQ(rec.entered_, json) << "walker and JSON disagree on: " << sql;
      continue;
    }
    // Rejected: what was visited must exist in the JSON.
    for (const auto& [key, n] : rec.entered_) {
      auto it = json.find(key);
      EXPECT_TRUE(it != json.end() && it->second >= n)
          << "walker visited " << key.first << "@" << key.second << " x" << n << " not in JSON: " << sql;
    }
    for (const auto& [kind, n] : rec.not_entered_) {
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
