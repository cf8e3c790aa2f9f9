// The real-PostgreSQL oracle (run by with_postgres.sh, which starts a
// throwaway PostgreSQL 15 and loads schema.sql):
//  - every function overload and operator pgsieve allows is called with sample
//    arguments, as superuser, in a read-write transaction, and shown to leave
//    nothing behind (no xid, no advisory lock, no notification, no large
//    object, no setting changed) and to return at most max_rows rows;
//  - every allowed golden case whose tables exist, and a generated set over
//    the test schema, runs without error after the rewrite, and the rewrite
//    only caps the result;
//  - every bypass case annotated with an effect shows that effect when run
//    directly (so the probes would catch it) and is rejected by pgsieve.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "function_catalog.h"
#include "golden_case.h"
#include "pg_session.h"
#include "pgsieve/firewall.h"
#include "sample_calls.h"
#include "test_paths.h"

namespace pgsieve::oracle {
namespace {

using testing::SourcePath;

// Every pack of the catalog on: the oracle proves the packs too.
Firewall OracleFirewall() {
  std::string toml =
      "standard_conforming_strings = true\n"  // the test server runs with it on
      "extensions = [\"pgcrypto\", \"pg_trgm\", \"fuzzystrmatch\", \"unaccent\", \"citext\", \"hstore\", "
      "\"ltree\", \"cube\", \"earthdistance\", \"tablefunc\", \"uuid-ossp\", \"tsm_system_rows\", "
      "\"tsm_system_time\", \"postgis\"]\n";
  auto policy = ParsePolicy(toml, "oracle");
  EXPECT_TRUE(policy.ok()) << policy.status().message();
  auto fw = Firewall::Create(policy.value());
  EXPECT_TRUE(fw.ok()) << fw.status().message();
  return std::move(fw).value();
}

struct Outcome {
  bool ran = false;         // executed without error
  std::string error;        // sqlstate and message otherwise
  std::string side_effect;  // empty when nothing was left behind
  size_t rows = 0;
};

// Runs `sql` in a transaction that is rolled back, with the probes before and
// after. A statement that fails is rolled back to a savepoint first; the
// probes still run (session-level locks survive a rollback).
Outcome RunProbed(PgSession& db, const std::string& sql) {
  Outcome out;
  db.Exec("ROLLBACK");
  db.Exec("BEGIN; SET LOCAL statement_timeout = '5s'; SET LOCAL lock_timeout = '1s'");
  const SideEffects before = db.Probe();
  db.Exec("SAVEPOINT s");
  const QueryResult r = db.Exec(sql);
  if (r.ok) {
    out.ran = true;
    out.rows = r.rows.size();
  } else {
    out.error = r.sqlstate + " " + r.error;
    db.Exec("ROLLBACK TO SAVEPOINT s");
  }
  if (!db.connected()) {
    out.side_effect = "the server connection was lost";
    db.EnsureConnected();
    return out;
  }
  const SideEffects after = db.Probe();
  if (after.xid_assigned) out.side_effect += " wrote (an xid was assigned);";
  if (after.advisory_locks != before.advisory_locks) out.side_effect += " holds an advisory lock;";
  if (after.notify_queue != before.notify_queue) out.side_effect += " queued a notification;";
  if (after.large_objects != before.large_objects) out.side_effect += " created or removed a large object;";
  if (after.settings != before.settings) out.side_effect += " changed a setting;";
  if (r.sqlstate == "57014") out.side_effect += " ran past statement_timeout;";
  db.Exec("ROLLBACK");
  db.Exec("SELECT pg_advisory_unlock_all()");
  return out;
}

class Oracle : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!OracleAvailable()) GTEST_SKIP() << "no oracle server (run through tests/oracle/with_postgres.sh)";
  }
};

TEST_F(Oracle, EveryAllowedFunctionRunsWithoutSideEffects) {
  const Firewall fw = OracleFirewall();
  PgSession db;
  ASSERT_TRUE(db.connected());
  size_t overloads = 0, executed = 0, errored = 0, uncallable = 0;
  std::set<std::string> names_proven;
  std::map<std::string, size_t> errors_by_state;
  for (const CatalogFunction& f : ReadCatalogFunctions(SourcePath("grammar/catalog/functions.tsv"))) {
    if (!internal::LookupFunction(f.name, ~internal::ScopeSet{0}).allowed) continue;
    ++overloads;
    const auto call = SampleCall(f);
    if (!call) {
      ++uncallable;
      continue;
    }
    const Verdict v = fw.Check(*call);
    if (!v.allowed()) {
      ADD_FAILURE() << "allowed function " << f.name << "(" << f.identity_args << ") rejected: " << *call << "\n  "
                    << v.violations.front().code << ": " << v.violations.front().message;
      continue;
    }
    const Outcome o = RunProbed(db, v.sql);
    EXPECT_EQ(o.side_effect, "") << f.name << "(" << f.identity_args << "): " << v.sql
                                 << "\n  move it to grammar/functions.deny with its category";
    EXPECT_LE(o.rows, static_cast<size_t>(v.max_rows)) << v.sql;
    if (o.ran) {
      ++executed;
      names_proven.insert(f.name);
    } else {
      ++errored;
      ++errors_by_state[o.error.substr(0, 5)];
    }
  }
  std::cout << "[oracle] functions: " << overloads << " allowed overloads; " << executed
            << " executed with sample arguments and proven side-effect free (" << names_proven.size()
            << " distinct names); " << errored << " raised an error on the sample arguments (probed too); "
            << uncallable << " take pseudo-types no call can supply\n[oracle] errors by SQLSTATE:";
  for (const auto& [state, n] : errors_by_state) std::cout << " " << state << "=" << n;
  std::cout << "\n";
  EXPECT_GT(executed, 2000u);
}

TEST_F(Oracle, EveryAllowedOperatorRunsWithoutSideEffects) {
  const Firewall fw = OracleFirewall();
  PgSession db;
  size_t executed = 0, total = 0;
  for (const CatalogOperator& op : ReadCatalogOperators(SourcePath("grammar/catalog/operators.tsv"))) {
    const auto call = SampleOperatorCall(op);
    if (!call) continue;
    const Verdict v = fw.Check(*call);
    if (!v.allowed()) continue;  // decided by its implementing function (see catalog.test)
    ++total;
    const Outcome o = RunProbed(db, v.sql);
    EXPECT_EQ(o.side_effect, "") << op.name << " (" << op.function << "): " << v.sql;
    if (o.ran) ++executed;
  }
  std::cout << "[oracle] operators: " << total << " allowed operator calls, " << executed
            << " executed and proven side-effect free\n";
  EXPECT_GT(executed, 400u);
}

size_t CountRows(PgSession& db, const std::string& sql, bool* ok) {
  db.Exec("ROLLBACK");
  db.Exec("BEGIN; SET LOCAL statement_timeout = '10s'");
  const QueryResult r = db.Exec(sql);
  db.Exec("ROLLBACK");
  *ok = r.ok;
  return r.rows.size();
}

TEST_F(Oracle, AllowedGoldenCasesRunAfterTheRewrite) {
  PgSession db;
  size_t ran = 0, skipped = 0;
  for (const testing::GoldenCase& c : testing::ReadGoldenCaseDir(SourcePath("tests/cases"))) {
    if (c.verdict != "allow") continue;
    auto policy = c.policy.empty() ? ParsePolicy(DefaultPolicyToml()) : ParsePolicy(c.policy);
    ASSERT_TRUE(policy.ok());
    Policy p = policy.value();
    p.standard_conforming_strings = true;
    const Firewall fw = std::move(Firewall::Create(p)).value();
    const Verdict v = fw.Check(c.sql);
    ASSERT_TRUE(v.allowed()) << c.name;
    bool original_ok = false;
    const size_t original_rows = CountRows(db, c.sql, &original_ok);
    if (!original_ok) {
      ++skipped;  // its tables or columns do not exist here, or it needs parameters
      continue;
    }
    bool rewritten_ok = false;
    const size_t rows = CountRows(db, v.sql, &rewritten_ok);
    EXPECT_TRUE(rewritten_ok) << c.name << ": the original runs but the rewrite fails:\n" << v.sql;
    EXPECT_LE(rows, static_cast<size_t>(v.max_rows)) << c.name;
    if (c.sql.find("EXPLAIN") == std::string::npos && c.sql.find("explain") == std::string::npos) {
      EXPECT_EQ(rows, std::min(original_rows, static_cast<size_t>(v.max_rows))) << c.name << ": " << v.sql;
    }
    ++ran;
  }
  std::cout << "[oracle] golden allowed cases: " << ran << " executed before and after the rewrite; " << skipped
            << " need tables or parameters the test schema does not have\n";
  EXPECT_GT(ran, 100u);
}

// Statements over the test schema, in every LIMIT form and wrapper.
std::vector<std::string> GeneratedStatements() {
  const std::vector<std::string> bases = {
      "SELECT id, total FROM orders ORDER BY id",
      "SELECT customer_id, count(*) AS n, sum(total) FROM orders GROUP BY customer_id ORDER BY customer_id",
      "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id",
      "SELECT id, rank() OVER (PARTITION BY status ORDER BY total DESC) FROM orders ORDER BY id",
      "SELECT status, percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM orders GROUP BY status ORDER BY 1",
      "SELECT x FROM generate_series(1, 2500) AS g(x) ORDER BY x",
      "VALUES (1), (2), (3)",
      "TABLE nums",
      "SELECT id FROM orders WHERE id < 50 UNION ALL SELECT id FROM customers ORDER BY 1",
      "(SELECT id FROM orders ORDER BY id LIMIT 5) UNION (SELECT id FROM customers ORDER BY id LIMIT 5000)",
      "WITH big AS (SELECT id, total FROM orders WHERE total > 10) SELECT * FROM big ORDER BY id",
      "WITH RECURSIVE chain AS (SELECT id, manager_id FROM employees WHERE id = 400 UNION ALL "
      "SELECT e.id, e.manager_id FROM employees e JOIN chain c ON e.id = c.manager_id) SELECT * FROM chain",
      "SELECT * FROM orders, LATERAL (SELECT count(*) FROM order_items i WHERE i.order_id = orders.id) li ORDER BY id",
      "SELECT department, GROUPING(department), sum(salary) FROM employees GROUP BY ROLLUP (department) ORDER BY 1",
      "SELECT payload ->> 'a' AS a, count(*) FROM orders GROUP BY 1 ORDER BY 1",
      "SELECT id FROM t WHERE b ~ '^b1' ORDER BY id",
      "SELECT date_trunc('day', created_at) AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1",
  };
  const std::vector<std::string> tails = {"", " LIMIT 10", " LIMIT 5000", " LIMIT ALL", " LIMIT 10 OFFSET 5",
                                          " OFFSET 3", " FETCH FIRST 3 ROWS ONLY", " FETCH FIRST 4000 ROWS ONLY",
                                          " LIMIT (SELECT 3)", " -- trailing comment", ";"};
  std::vector<std::string> out;
  for (const auto& base : bases) {
    for (const auto& tail : tails) {
      const bool values_or_table = base.rfind("VALUES", 0) == 0 || base.rfind("TABLE", 0) == 0;
      if (values_or_table && tail.find("FETCH") != std::string::npos) continue;
      out.push_back(base + tail);
    }
    out.push_back("SELECT * FROM (" + base + ") AS sub");
    out.push_back("/* leading */ " + base + " /* trailing */");
  }
  return out;
}

TEST_F(Oracle, GeneratedStatementsRunAndTheRewriteOnlyCaps) {
  PgSession db;
  const Firewall fw = OracleFirewall();
  size_t ran = 0;
  for (const std::string& sql : GeneratedStatements()) {
    const Verdict v = fw.Check(sql);
    ASSERT_TRUE(v.allowed()) << sql << "\n  " << (v.violations.empty() ? "" : v.violations[0].message);
    bool original_ok = false;
    const size_t original_rows = CountRows(db, sql, &original_ok);
    ASSERT_TRUE(original_ok) << "generated statement does not run: " << sql;
    bool ok = false;
    const size_t rows = CountRows(db, v.sql, &ok);
    ASSERT_TRUE(ok) << sql << "\n=> " << v.sql;
    EXPECT_EQ(rows, std::min(original_rows, static_cast<size_t>(v.max_rows))) << sql << "\n=> " << v.sql;
    ++ran;
  }
  std::cout << "[oracle] generated statements: " << ran << " allowed, run before and after the rewrite\n";
}

// ::: effect write | advisory-lock | large-object | setting | sleep | notify:<channel>
bool ShowsEffect(PgSession& db, const std::string& sql, const std::string& effect, std::string* seen) {
  db.Exec("ROLLBACK");
  db.TakeNotifications();
  const bool notify = effect.rfind("notify:", 0) == 0;
  if (notify) db.Exec("LISTEN " + effect.substr(7));
  db.Exec("BEGIN; SET LOCAL statement_timeout = '5s'");
  const SideEffects before = db.Probe();
  const QueryResult r = db.Exec(sql);
  const SideEffects after = db.Probe();
  db.Exec(notify ? "COMMIT" : "ROLLBACK");
  db.Exec("SELECT pg_advisory_unlock_all()");
  db.Exec("RESET ALL; SET client_min_messages = error");
  std::vector<std::string> received;
  if (notify) {
    db.Exec("SELECT 1");
    received = db.TakeNotifications();
    db.Exec("UNLISTEN *");
  }
  *seen = r.ok ? "ran" : "error " + r.sqlstate + ": " + r.error;
  if (effect == "write") return after.xid_assigned;
  if (effect == "advisory-lock") return after.advisory_locks > before.advisory_locks;
  if (effect == "large-object") return after.large_objects != before.large_objects;
  if (effect == "setting") return after.settings != before.settings;
  if (effect == "sleep") return r.seconds >= 0.1;
  if (notify) return !received.empty();
  ADD_FAILURE() << "unknown effect " << effect;
  return false;
}

TEST_F(Oracle, BypassControlsShowTheirEffectAndAreRejected) {
  PgSession db("postgres");  // a database the attacks may damage (each runs in a rolled-back transaction)
  db.Exec("CREATE TABLE IF NOT EXISTS orders (id int, total numeric, customer_id int)");
  db.Exec("INSERT INTO orders SELECT i, i, i FROM generate_series(1, 3) i");
  db.Exec("CREATE TABLE IF NOT EXISTS t (id int, a int)");
  db.Exec("CREATE TABLE IF NOT EXISTS customers (id int, name text)");
  db.Exec("CREATE TABLE IF NOT EXISTS contracts (id int, postcode text)");
  db.Exec("INSERT INTO contracts VALUES (1, 'N1')");
  db.Exec("CREATE TABLE IF NOT EXISTS admin_notes (note text)");
  const Firewall fw = std::move(Firewall::Create(ParsePolicy(DefaultPolicyToml()).value())).value();
  size_t controls = 0;
  for (const testing::GoldenCase& c : testing::ReadGoldenCaseDir(SourcePath("tests/cases"))) {
    if (!c.effect) continue;
    auto policy = c.policy.empty() ? ParsePolicy(DefaultPolicyToml()) : ParsePolicy(c.policy);
    const Firewall case_fw = std::move(Firewall::Create(policy.value())).value();
    EXPECT_FALSE(case_fw.Check(c.sql).allowed()) << c.name;
    std::string seen;
    const bool shown = ShowsEffect(db, c.sql, *c.effect, &seen);
    EXPECT_TRUE(shown) << c.name << ": run directly, it did not show effect '" << *c.effect << "' (" << seen
                       << "):\n" << c.sql;
    if (shown) ++controls;
  }
  std::cout << "[oracle] bypass controls: " << controls
            << " attacks shown to have their side effect when run directly, and rejected by pgsieve\n";
  EXPECT_GE(controls, 20u);
}

}  // namespace
}  // namespace pgsieve::oracle
