// `pgsieve audit` on what a real PostgreSQL 15 writes. Run by
// with_logging_postgres.sh, which starts a throwaway server with the logging
// collector, log_destination = 'csvlog,jsonlog', log_statement = 'all',
// pg_stat_statements and (when Debian ships it) pgaudit with pgaudit.log =
// 'all'. The test runs a known mix of allowed and rejected statements through
// libpq, as two roles and applications, over the simple and the extended
// protocol, then audits
//   - the csvlog and the jsonlog (statement lines, pgaudit lines and errors
//     de-duplicated to one count per statement),
//   - the csvlog without its log_statement lines (what pgaudit alone gives),
//   - a pg_stat_statements export made with psql's COPY ... TO STDOUT WITH CSV HEADER,
// and checks every count against what was run; then learns a fingerprint
// allow-list from the log and audits the log again under fingerprints = "require".
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Conn {
  Conn(const std::string& user, const std::string& db, const std::string& app) {
    const std::string info = "host=" + Env("PGSIEVE_PG_HOST") + " port=" + Env("PGSIEVE_PG_PORT") + " user=" + user +
                             " dbname=" + db + " application_name=" + app;
    c = PQconnectdb(info.c_str());
    EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  ~Conn() { PQfinish(c); }
  // Runs `sql` (possibly several statements) with the simple protocol; true if it succeeded.
  bool Exec(const std::string& sql) {
    bool ok = true;
    if (!PQsendQuery(c, sql.c_str())) return false;
    while (PGresult* r = PQgetResult(c)) {
      const ExecStatusType s = PQresultStatus(r);
      ok &= s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
      PQclear(r);
    }
    return ok;
  }
  bool ExecParams(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(c, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
  }
  PGconn* c;
};

struct ShellRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ShellRun Shell(const std::string& cmd) {
  const std::string dir = Env("PGSIEVE_PG_TMP");
  const std::string out = dir + "/out.txt", err = dir + "/err.txt";
  const int status = std::system((cmd + " > " + out + " 2> " + err).c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
}

nlohmann::json Audit(const std::string& args) {
  const ShellRun r = Shell(Env("PGSIEVE_BIN") + " audit --json - " + args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  return j;
}

std::map<std::string, int> ByReason(const nlohmann::json& report) {
  std::map<std::string, int> out;
  for (const auto& r : report["by_reason"]) out[r["code"]] = r["statements"];
  return out;
}

nlohmann::json Group(const nlohmann::json& rows, const std::string& name) {
  for (const auto& g : rows) {
    if (g["name"] == name) return g;
  }
  return nlohmann::json::object();
}

class AuditPostgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (Env("PGSIEVE_PG_HOST").empty()) return;
    ASSERT_FALSE(Env("PGSIEVE_BIN").empty());
    {
      Conn admin("postgres", "postgres", "setup");
      ASSERT_TRUE(admin.Exec("create extension if not exists pg_stat_statements"));
      ASSERT_TRUE(admin.Exec("create database shop"));
      ASSERT_TRUE(admin.Exec("create role alice login; create role bob login"));
    }
    {
      Conn shop("postgres", "shop", "setup");
      ASSERT_TRUE(shop.Exec("create table orders (id int, total numeric, status text)"));
      ASSERT_TRUE(shop.Exec("insert into orders select i, i * 1.5, 'new' from generate_series(1, 20) i"));
      ASSERT_TRUE(shop.Exec("grant all on orders to alice, bob"));
    }
    {
      Conn admin("postgres", "postgres", "setup");
      ASSERT_TRUE(admin.Exec("select pg_stat_statements_reset()"));
    }
    // The workload. What pgsieve's default policy says is in the comments.
    {
      Conn alice("alice", "shop", "dashboard");
      EXPECT_TRUE(alice.Exec("select id, total from orders where id = 1"));  // allowed, capped
      EXPECT_TRUE(alice.Exec("select id, total from orders where id = 2"));  // allowed, capped (same shape)
      EXPECT_TRUE(alice.Exec("select count(*) from orders limit 1"));        // allowed, not capped
      EXPECT_TRUE(alice.Exec("select pg_sleep(0)"));                         // function-not-allowed
      EXPECT_FALSE(alice.Exec("selec 1"));                                   // parse-error (and a server error)
      EXPECT_TRUE(alice.ExecParams("select id from orders where total > $1", {"3"}));  // allowed, capped
    }
    {
      Conn bob("bob", "shop", "etl");
      EXPECT_TRUE(bob.Exec("insert into orders values (100, 1.5, 'new')"));     // insert-statement
      EXPECT_TRUE(bob.Exec("update orders set status = 'x' where id = 100"));   // update-statement
      EXPECT_TRUE(bob.Exec("delete from orders where id = 100"));               // delete-statement
      EXPECT_TRUE(bob.Exec("select * from orders; select 1"));                  // multiple-statements
      EXPECT_TRUE(bob.Exec("set work_mem = '8MB'"));                            // set-statement
      EXPECT_TRUE(bob.Exec("select relname from pg_catalog.pg_class limit 1"));  // relation-not-allowed
    }
    // The pg_stat_statements export, with psql as an operator would make it
    // (only the workload's database: setup and the export itself are elsewhere).
    const ShellRun export_run = Shell(
        "psql -X -q -h " + Env("PGSIEVE_PG_HOST") + " -p " + Env("PGSIEVE_PG_PORT") +
        " -U postgres -d postgres -c \"COPY (select query, calls from pg_stat_statements where dbid = "
        "(select oid from pg_database where datname = 'shop')) TO STDOUT WITH CSV HEADER\"");
    ASSERT_EQ(export_run.exit_code, 0) << export_run.err;
    std::ofstream(Env("PGSIEVE_PG_TMP") + "/pgss.csv") << export_run.out;
    {
      Conn marker("postgres", "postgres", "marker");
      ASSERT_TRUE(marker.Exec("select 'pgsieve-audit-marker'"));
    }
    // The collector writes asynchronously and in order: once the last
    // statement is in both files, everything before it is too.
    const std::string dir = Env("PGSIEVE_PG_LOGDIR");
    for (int i = 0; i < 200; ++i) {
      if (Slurp(dir + "/pg.csv").find("pgsieve-audit-marker") != std::string::npos &&
          Slurp(dir + "/pg.json").find("pgsieve-audit-marker") != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  void SetUp() override {
    if (Env("PGSIEVE_PG_HOST").empty()) GTEST_SKIP() << "no server: run through with_logging_postgres.sh";
  }

  static std::string Log(const std::string& name) { return Env("PGSIEVE_PG_LOGDIR") + "/" + name; }
  static constexpr const char* kWorkload = "--application dashboard --application etl ";
};

// 12 statements: 4 allowed (3 capped), 8 rejected, one per reason.
void ExpectWorkloadCounts(const nlohmann::json& r) {
  EXPECT_EQ(r["totals"]["statements"], 12);
  EXPECT_EQ(r["totals"]["allowed"], 4);
  EXPECT_EQ(r["totals"]["rejected"], 8);
  EXPECT_EQ(r["totals"]["capped"], 3);
  EXPECT_EQ(r["totals"]["malformed"], 0);
  EXPECT_EQ(ByReason(r), (std::map<std::string, int>{{"function-not-allowed", 1},
                                                    {"parse-error", 1},
                                                    {"insert-statement", 1},
                                                    {"update-statement", 1},
                                                    {"delete-statement", 1},
                                                    {"multiple-statements", 1},
                                                    {"set-statement", 1},
                                                    {"relation-not-allowed", 1}}));
  const auto alice = Group(r["by_user"], "alice");
  EXPECT_EQ(alice["statements"], 6);
  EXPECT_EQ(alice["rejected"], 2);
  EXPECT_EQ(alice["capped"], 3);
  const auto bob = Group(r["by_user"], "bob");
  EXPECT_EQ(bob["statements"], 6);
  EXPECT_EQ(bob["rejected"], 6);
  EXPECT_EQ(Group(r["by_application"], "dashboard")["statements"], 6);
  EXPECT_EQ(Group(r["by_database"], "shop")["statements"], 12);
  EXPECT_TRUE(r["time_range"]["first_seen"].is_string());
  // Normalized examples only.
  const std::string dump = r.dump();
  EXPECT_EQ(dump.find("'8MB'"), std::string::npos);
  EXPECT_NE(dump.find("select pg_sleep($1)"), std::string::npos);
}

TEST_F(AuditPostgres, Csvlog) {
  const auto r = Audit(kWorkload + Log("pg.csv"));
  EXPECT_EQ(r["inputs"][0]["format"], "csvlog");
  ExpectWorkloadCounts(r);
  // Without the filter the setup statements count too, and the file reads cleanly.
  const auto all = Audit(Log("pg.csv"));
  EXPECT_GT(all["totals"]["statements"].get<int>(), 12);
  EXPECT_EQ(all["totals"]["malformed"], 0);
}

TEST_F(AuditPostgres, Jsonlog) {
  const auto r = Audit(kWorkload + Log("pg.json"));
  EXPECT_EQ(r["inputs"][0]["format"], "jsonlog");
  ExpectWorkloadCounts(r);
  const auto csv = Audit(Log("pg.csv"));
  const auto json = Audit(Log("pg.json"));
  EXPECT_EQ(json["totals"], csv["totals"]) << "the two destinations of one server say the same";
}

TEST_F(AuditPostgres, GzippedLog) {
  const std::string gz = Env("PGSIEVE_PG_TMP") + "/pg.csv.gz";
  ASSERT_EQ(std::system(("gzip -c " + Log("pg.csv") + " > " + gz).c_str()), 0);
  const auto r = Audit(kWorkload + gz);
  EXPECT_TRUE(r["inputs"][0]["compressed"].get<bool>());
  ExpectWorkloadCounts(r);
}

// What pgaudit alone records: the csvlog without log_statement's lines.
TEST_F(AuditPostgres, PgauditLines) {
  if (Env("PGSIEVE_PG_PGAUDIT") != "1") GTEST_SKIP() << "postgresql-15-pgaudit is not installed";
  const std::string csv = Slurp(Log("pg.csv"));
  ASSERT_NE(csv.find("AUDIT: SESSION,"), std::string::npos);
  std::istringstream in(csv);
  std::string line, kept;
  size_t dropped = 0;
  while (std::getline(in, line)) {
    // The workload's statements are one line each, so their records are too.
    if (line.find(",LOG,00000,\"statement: ") != std::string::npos ||
        line.find(",LOG,00000,\"execute ") != std::string::npos) {
      ++dropped;
      continue;
    }
    kept += line + "\n";
  }
  EXPECT_GE(dropped, 11u);
  const std::string path = Env("PGSIEVE_PG_TMP") + "/pgaudit-only.csv";
  std::ofstream(path) << kept;
  const auto r = Audit(kWorkload + path);
  // pgaudit logs every statement of a multi-statement string on its own line,
  // with the whole string: without log_statement that string counts once per
  // statement the server ran. Everything else is as with log_statement.
  EXPECT_EQ(r["totals"]["statements"], 13);
  EXPECT_EQ(r["totals"]["rejected"], 9);
  EXPECT_EQ(r["totals"]["allowed"], 4);
  EXPECT_EQ(r["totals"]["capped"], 3);
  auto reasons = ByReason(r);
  EXPECT_EQ(reasons["multiple-statements"], 2);
  EXPECT_EQ(reasons["parse-error"], 1) << "the syntax error comes from the ERROR entry";
  EXPECT_EQ(reasons["function-not-allowed"], 1);
  EXPECT_EQ(reasons["set-statement"], 1);
  EXPECT_EQ(reasons["relation-not-allowed"], 1);
}

// pg_stat_statements: normalized text ($n), one row per statement shape, calls.
TEST_F(AuditPostgres, StatStatementsExport) {
  const std::string path = Env("PGSIEVE_PG_TMP") + "/pgss.csv";
  ASSERT_EQ(Slurp(path).rfind("query,calls\n", 0), 0u) << Slurp(path);
  const auto r = Audit(path);
  EXPECT_EQ(r["inputs"][0]["format"], "pgss-csv");
  // The syntax error never ran; the two statements of the multi-statement
  // string are two rows; "where id = $1" was called twice.
  EXPECT_EQ(r["totals"]["records"], 11);
  EXPECT_EQ(r["totals"]["statements"], 12);
  EXPECT_EQ(r["totals"]["allowed"], 6);
  EXPECT_EQ(r["totals"]["rejected"], 6);
  EXPECT_EQ(r["totals"]["capped"], 6) << "LIMIT $1 is not a constant: wrapped";
  EXPECT_EQ(ByReason(r), (std::map<std::string, int>{{"function-not-allowed", 1},
                                                    {"insert-statement", 1},
                                                    {"update-statement", 1},
                                                    {"delete-statement", 1},
                                                    {"set-statement", 1},
                                                    {"relation-not-allowed", 1}}));
  EXPECT_EQ(r["malformed"]["count"], 0);
}

TEST_F(AuditPostgres, AllInputsTogetherWithHtmlAndFailOn) {
  const std::string html = Env("PGSIEVE_PG_TMP") + "/report.html";
  const ShellRun r = Shell(Env("PGSIEVE_BIN") + " audit -q --html " + html + " --fail-on parse-error " + Log("pg.csv") +
                      " " + Log("pg.json") + " " + Env("PGSIEVE_PG_TMP") + "/pgss.csv");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(Slurp(html).find("report-data"), std::string::npos);
}

// learn -> require on the same log: every shape the dashboard ran that the
// structural policy allows was learned, so require adds no rejection.
TEST_F(AuditPostgres, LearnThenRequire) {
  const std::string learned = Env("PGSIEVE_PG_TMP") + "/learned.fingerprints";
  const std::string policy = Env("PGSIEVE_PG_TMP") + "/require.toml";
  const ShellRun learn = Shell(Env("PGSIEVE_BIN") + " learn --application dashboard -o " + learned + " " + Log("pg.csv"));
  ASSERT_EQ(learn.exit_code, 0) << learn.err;
  EXPECT_NE(learn.err.find("6 statements; 4 allowed, recorded under 3 fingerprints"), std::string::npos) << learn.err;
  std::ofstream(policy) << "fingerprints = \"require\"\nfingerprint_file = \"learned.fingerprints\"\n";
  const auto dashboard = Audit("--policy " + policy + " --application dashboard " + Log("pg.json"));
  EXPECT_EQ(dashboard["totals"]["rejected"], 2);
  EXPECT_EQ(ByReason(dashboard).count("fingerprint-not-allowed"), 0u);
  // bob's statements were rejected structurally and stay so; the ETL shapes
  // were never learned, but the structural reason comes first.
  const auto etl = Audit("--policy " + policy + " --application etl " + Log("pg.json"));
  EXPECT_EQ(etl["totals"]["rejected"], 6);
  EXPECT_EQ(ByReason(etl).count("fingerprint-not-allowed"), 0u);
}

}  // namespace
