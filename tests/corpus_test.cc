// The shared corpora through the default policy:
//  - AI-written SQL (text2sql): false rejections are bugs. Every rejection must
//    be listed in tests/data/text2sql_rejections.tsv with its codes and a
//    justification, and the justification is checked: "nonexistent-function
//    NAME" must name a function PostgreSQL 15 does not have (the server would
//    reject the statement too).
//  - PostgreSQL's regression statements: every non-SELECT statement, SELECT
//    INTO, locking SELECT and data-modifying CTE is rejected; no statement
//    crashes or hangs; every allowed statement's rewrite is a fixed point.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "pgsieve/firewall.h"
#include "test_paths.h"

namespace pgsieve::testing {
namespace {

Firewall DefaultFirewall() {
  auto policy = ParsePolicy(DefaultPolicyToml());
  return std::move(Firewall::Create(policy.value())).value();
}

std::vector<std::string> ReadLabels(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string index, label;
    if (f >> index >> label && index != "index") labels.push_back(label);  // skip the header
  }
  return labels;
}

std::set<std::string> CatalogFunctionNames() {
  std::ifstream in(SourcePath("grammar/pg_catalog_functions.txt"));
  std::set<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find(' ')));
  }
  return names;
}

struct ListedRejection {
  std::string codes;
  std::string category;
  std::string detail;
};

// index \t codes \t category \t detail
std::map<size_t, ListedRejection> ReadListedRejections() {
  std::ifstream in(SourcePath("tests/data/text2sql_rejections.tsv"));
  std::map<size_t, ListedRejection> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string index;
    ListedRejection r;
    std::getline(f, index, '\t');
    std::getline(f, r.codes, '\t');
    std::getline(f, r.category, '\t');
    std::getline(f, r.detail);
    out[std::stoul(index)] = r;
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Codes(const Verdict& v) {
  std::set<std::string> codes;
  for (const auto& x : v.violations) codes.insert(x.code);
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

TEST(Corpus, TextToSqlFalseRejectionsAreListedAndJustified) {
  const Firewall fw = DefaultFirewall();
  const auto statements = ReadRecords(SourcePath("tests/data/text2sql.sql"));
  ASSERT_GT(statements.size(), 4000u);
  const auto listed = ReadListedRejections();
  const auto catalog = CatalogFunctionNames();
  size_t allowed = 0, nonexistent = 0;
  std::set<size_t> rejected;
  for (size_t i = 0; i < statements.size(); ++i) {
    const Verdict v = fw.Check(statements[i]);
    if (v.allowed()) {
      ++allowed;
      continue;
    }
    rejected.insert(i);
    auto it = listed.find(i);
    if (it == listed.end()) {
      ADD_FAILURE() << "unlisted rejection #" << i << " (" << Codes(v) << "): " << statements[i] << "\n  "
                    << v.violations.front().message;
      continue;
    }
    EXPECT_EQ(it->second.codes, Codes(v)) << "#" << i;
    if (it->second.category == "nonexistent-function") {
      ++nonexistent;
      const std::string& name = it->second.detail;  // "name" or "schema.name", as folded by the parser
      EXPECT_EQ(catalog.count(name.substr(name.rfind('.') + 1)), 0u)
          << "#" << i << ": " << name << " exists in pg_catalog: an allow-list gap, fix it";
      EXPECT_NE(Lower(statements[i]).find(name), std::string::npos) << "#" << i;
    } else {
      EXPECT_FALSE(it->second.detail.empty()) << "#" << i << " needs a justification";
    }
  }
  for (const auto& [index, r] : listed) {
    EXPECT_TRUE(rejected.count(index)) << "#" << index << " is listed but now allowed: remove it from the list";
  }
  const double raw = static_cast<double>(allowed) / statements.size();
  const double runnable = static_cast<double>(allowed) / (statements.size() - nonexistent);
  std::cout << "[corpus] text2sql: " << allowed << "/" << statements.size() << " allowed (" << raw * 100
            << "%); " << nonexistent << " call functions PostgreSQL 15 does not have; " << runnable * 100
            << "% of the rest allowed\n";
  EXPECT_GE(runnable, 0.99);
}

TEST(Corpus, RegressionWritesAndNonReadsAreRejected) {
  // EXPLAIN of a read is allowed by default (explain = true); with it off,
  // every statement that is not a plain SELECT must be rejected.
  auto policy = ParsePolicy("explain = false");
  const Firewall fw = std::move(Firewall::Create(policy.value())).value();
  const auto statements = ReadRecords(SourcePath("tests/data/regress_all.sql"));
  const auto labels = ReadLabels(SourcePath("tests/data/regress_all.labels.tsv"));
  ASSERT_EQ(statements.size(), labels.size());
  size_t checked = 0;
  for (size_t i = 0; i < statements.size(); ++i) {
    if (labels[i] == "select") continue;  // plain reads: see the next test
    ++checked;
    const Verdict v = fw.Check(statements[i]);
    EXPECT_FALSE(v.allowed()) << "#" << i << " (" << labels[i] << ") allowed: " << statements[i];
  }
  EXPECT_GT(checked, 19000u);
}

TEST(Corpus, RegressionSelectsNeverCrashAndRewritesAreFixedPoints) {
  const Firewall fw = DefaultFirewall();
  const auto statements = ReadRecords(SourcePath("tests/data/regress_select.sql"));
  ASSERT_GT(statements.size(), 11000u);
  size_t allowed = 0;
  std::map<std::string, size_t> by_code;
  for (const std::string& sql : statements) {
    const Verdict v = fw.Check(sql);
    if (!v.allowed()) {
      for (const auto& x : v.violations) ++by_code[x.code];
      continue;
    }
    ++allowed;
    const Verdict again = fw.Check(v.sql);
    ASSERT_TRUE(again.allowed()) << sql << "\n=> " << v.sql;
    EXPECT_EQ(again.sql, v.sql);
    EXPECT_LE(v.max_rows, fw.policy().max_rows);
  }
  std::cout << "[corpus] regress_select: " << allowed << "/" << statements.size() << " allowed; rejections:";
  for (const auto& [code, n] : by_code) std::cout << " " << code << "=" << n;
  std::cout << "\n";
  EXPECT_GT(allowed, 5000u);
}

// Firewall::Check(sql, &verdict) reuses one Verdict across checks: whatever the
// previous check left in it (a rejection's violations, a rewritten text, a
// fingerprint, detect mode's would_reject), the result must be the fresh
// Check(sql)'s, field by field. Run over every corpus statement in a row, so
// each kind of verdict follows each other kind, under enforce, learn and
// detect mode.
void ExpectSameVerdict(const Verdict& fresh, const Verdict& reused, const std::string& sql) {
  ASSERT_EQ(fresh.decision, reused.decision) << sql;
  EXPECT_EQ(fresh.sql, reused.sql) << sql;
  EXPECT_EQ(fresh.max_rows, reused.max_rows) << sql;
  EXPECT_EQ(fresh.rewritten, reused.rewritten) << sql;
  EXPECT_EQ(fresh.would_reject, reused.would_reject) << sql;
  EXPECT_EQ(fresh.fingerprint, reused.fingerprint) << sql;
  ASSERT_EQ(fresh.violations.size(), reused.violations.size()) << sql;
  for (size_t i = 0; i < fresh.violations.size(); ++i) {
    const Violation& a = fresh.violations[i];
    const Violation& b = reused.violations[i];
    EXPECT_TRUE(a.code == b.code && a.message == b.message && a.offset == b.offset && a.line == b.line &&
                a.column == b.column && a.fragment == b.fragment)
        << sql << "\nviolation " << i << ": " << a.code << " vs " << b.code;
  }
}

TEST(Corpus, AReusedVerdictEqualsAFreshOne) {
  std::vector<std::string> statements = ReadRecords(SourcePath("tests/data/regress_all.sql"));
  const auto text2sql = ReadRecords(SourcePath("tests/data/text2sql.sql"));
  statements.insert(statements.end(), text2sql.begin(), text2sql.end());
  ASSERT_GT(statements.size(), 30000u);
  for (const Mode mode : {Mode::kEnforce, Mode::kLearn, Mode::kDetect}) {
    auto policy = ParsePolicy(DefaultPolicyToml());
    ASSERT_TRUE(policy.ok());
    policy.value().mode = mode;
    const Firewall fw = std::move(Firewall::Create(policy.value())).value();
    Verdict reused;
    size_t allowed = 0, rejected = 0;
    for (const std::string& sql : statements) {
      const Verdict fresh = fw.Check(sql);
      fw.Check(sql, &reused);
      ExpectSameVerdict(fresh, reused, sql);
      if (::testing::Test::HasFatalFailure()) return;
      (fresh.allowed() ? allowed : rejected) += 1;
    }
    EXPECT_GT(allowed, 1000u) << static_cast<int>(mode);
    if (mode != Mode::kDetect) EXPECT_GT(rejected, 1000u) << static_cast<int>(mode);
  }
}

}  // namespace
}  // namespace pgsieve::testing
