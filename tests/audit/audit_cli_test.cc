// `pgsieve audit` and `pgsieve learn` as a user runs them: exit codes and
// --fail-on, the JSON report on stdout, the human summary, the HTML file's
// self-containment, literal hiding, the progress bar (terminal only), stdin,
// the shared text2sql corpus, the learned fingerprint file of modes.test, and
// streaming: the peak memory of an audit does not grow with the log's size.
// The binary's path comes from meson (PGSIEVE_BIN).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.h"

namespace {

using pgsieve::testing::SourcePath;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempPath(const std::string& suffix = "") {
  char path[] = "/tmp/pgsieve-audit-cli-XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  unlink(path);
  return std::string(path) + suffix;
}

// Runs `pgsieve ARGS` (a shell word list) with `input` on stdin.
CliRun Pgsieve(const std::string& args, const std::string& input = "") {
  const char* bin = std::getenv("PGSIEVE_BIN");
  EXPECT_NE(bin, nullptr) << "PGSIEVE_BIN not set";
  const std::string in = TempPath(), out = TempPath(), err = TempPath();
  std::ofstream(in, std::ios::binary) << input;
  const std::string cmd = std::string(bin) + " " + args + " < " + in + " > " + out + " 2> " + err;
  const int status = std::system(cmd.c_str());
  CliRun r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  unlink(in.c_str());
  unlink(out.c_str());
  unlink(err.c_str());
  return r;
}

std::string Logs(const std::string& name) { return SourcePath("tests/data/logs/" + name); }

nlohmann::json Report(const std::string& args, const std::string& input = "") {
  const CliRun r = Pgsieve("audit --json - " + args, input);
  EXPECT_LE(r.exit_code, 1) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out.substr(0, 500) << "\n" << r.err;
  return j;
}

TEST(AuditCli, SummaryOnStdoutAndExitZeroByDefault) {
  const CliRun r = Pgsieve("audit " + Logs("postgresql.csv"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pgsieve audit: 11 statements from 1 input"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Rejections by reason"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("function-not-allowed"), std::string::npos);
  EXPECT_NE(r.out.find("By user"), std::string::npos);
  EXPECT_NE(r.out.find("Top rejected statements"), std::string::npos);
  EXPECT_NE(r.out.find("select pg_sleep($1)"), std::string::npos) << r.out;  // normalized
  EXPECT_NE(r.out.find("seen from 2024-05-24 10:00:01.010 UTC to 2024-05-24 10:06:00.000 UTC"), std::string::npos);
  EXPECT_NE(r.out.find("postgresql.csv:7: csvlog record with 4 fields"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // not a terminal: no progress bar
}

TEST(AuditCli, JsonReportOnStdoutSummaryOnStderr) {
  const CliRun r = Pgsieve("audit --json - " + Logs("postgresql.json") + " " + Logs("pg_stat_statements.csv"));
  EXPECT_EQ(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["totals"]["statements"], 11 + 13);
  EXPECT_EQ(j["totals"]["records"], 11 + 5);
  EXPECT_EQ(j["totals"]["rejected"], 4 + 3);
  EXPECT_EQ(j["totals"]["malformed"], 3 + 1);
  EXPECT_EQ(j["inputs"][1]["format"], "pgss-csv");
  EXPECT_NE(r.err.find("pgsieve audit: 24 statements (16 records) from 2 inputs"), std::string::npos) << r.err;
}

TEST(AuditCli, FailOn) {
  const std::string log = Logs("postgresql.csv");
  EXPECT_EQ(Pgsieve("audit -q --fail-on reject " + log).exit_code, 1);
  EXPECT_EQ(Pgsieve("audit -q --fail-on parse-error " + log).exit_code, 1);
  EXPECT_EQ(Pgsieve("audit -q --fail-on copy-statement,truncate-statement " + log).exit_code, 0);
  EXPECT_EQ(Pgsieve("audit -q --fail-on copy-statement --fail-on ddl-statement " + log).exit_code, 1);
  EXPECT_EQ(Pgsieve("audit -q --fail-on malformed " + log).exit_code, 1);
  EXPECT_EQ(Pgsieve("audit -q --fail-on malformed " + Logs("queries.sql")).exit_code, 0);
  EXPECT_EQ(Pgsieve("audit -q --fail-on reject " + Logs("queries.sql")).exit_code, 1);
  // Only allowed statements: reject never fires.
  EXPECT_EQ(Pgsieve("audit -q --fail-on reject --format sql -", "select 1;\nselect id from t limit 5;").exit_code, 0);
  const CliRun typo = Pgsieve("audit -q --fail-on copy-statment " + log);
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("copy-statment"), std::string::npos);
}

TEST(AuditCli, DetectModePolicyCountsWouldReject) {
  const std::string policy = TempPath(".toml");
  std::ofstream(policy) << "mode = \"detect\"\n";
  const auto j = Report("--policy " + policy + " " + Logs("postgresql.csv"));
  EXPECT_EQ(j["policy"]["mode"], "detect");
  EXPECT_EQ(j["totals"]["rejected"], 0);
  EXPECT_EQ(j["totals"]["would_reject"], 4);
  const CliRun r = Pgsieve("audit --fail-on reject --policy " + policy + " " + Logs("postgresql.csv"));
  EXPECT_EQ(r.exit_code, 1) << "would-reject counts for --fail-on reject";
  EXPECT_NE(r.out.find("would-reject"), std::string::npos) << r.out;
  unlink(policy.c_str());
}

TEST(AuditCli, UnreadableInputExitsTwoAfterReportingTheRest) {
  const CliRun r = Pgsieve("audit --json - /nonexistent/pg.csv " + Logs("records.sql"));
  EXPECT_EQ(r.exit_code, 2);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["totals"]["statements"], 3);
  EXPECT_TRUE(j["inputs"][0].contains("error"));
  EXPECT_NE(r.err.find("/nonexistent/pg.csv"), std::string::npos);
  EXPECT_EQ(Pgsieve("audit").exit_code, 2);  // no input
  EXPECT_EQ(Pgsieve("audit --format stderr " + Logs("records.sql")).exit_code, 2);
}

TEST(AuditCli, FiltersByUserDatabaseAndApplication) {
  const auto two = Report("--user alice --user carol " + Logs("postgresql.csv"));
  EXPECT_EQ(two["totals"]["statements"], 4 + 3);
  EXPECT_EQ(two["totals"]["rejected"], 2 + 1);
  EXPECT_EQ(two["by_user"].size(), 2u);
  EXPECT_EQ(Report("--database reports " + Logs("postgresql.json"))["totals"]["statements"], 3);
  EXPECT_EQ(Report("--application etl --application psql " + Logs("postgresql.csv"))["totals"]["statements"], 3 + 1);
  EXPECT_EQ(Report("--user nobody " + Logs("postgresql.csv"))["totals"]["statements"], 0);
}

TEST(AuditCli, StdinAndForcedFormat) {
  const auto j = Report("--format jsonl -", "{\"sql\":\"select 1\"}\n{\"sql\":\"drop table t\"}\n");
  EXPECT_EQ(j["inputs"][0]["path"], "-");
  EXPECT_EQ(j["inputs"][0]["format"], "jsonl");
  EXPECT_EQ(j["totals"]["statements"], 2);
  EXPECT_EQ(j["by_reason"][0]["code"], "ddl-statement");
  // Forcing a wrong format makes malformed records, not a failure.
  const auto wrong = Report("--format jsonlog " + Logs("queries.sql"));
  EXPECT_EQ(wrong["totals"]["statements"], 0);
  EXPECT_GT(wrong["malformed"]["count"].get<int>(), 0);
}

TEST(AuditCli, LiteralsAreHiddenUnlessAsked) {
  const std::string log =
      "select * from users where email = 'jane@example.com' and pin = 4711;\n"
      "delete from users where password = 'hunter2';\n"
      "selec secret from t where password = 'hunter2';\n"
      "select * from t where x = $q$hunter2$q$ /* hunter2 */;\n";
  const std::string html = TempPath(".html");
  const CliRun hidden = Pgsieve("audit --format sql --json - --html " + html + " -", log);
  const std::string html_text = Slurp(html);
  for (const std::string& text : {hidden.out, hidden.err, html_text}) {
    for (const char* secret : {"hunter2", "jane@example.com", "4711"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in:\n" << text.substr(0, 2000);
    }
  }
  const CliRun shown = Pgsieve("audit --show-literals --format sql --json - -", log);
  EXPECT_NE(shown.out.find("hunter2"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(shown.out)["show_literals"].get<bool>());
  unlink(html.c_str());
}

TEST(AuditCli, HtmlIsSelfContained) {
  const std::string html = TempPath(".html");
  const CliRun r = Pgsieve("audit -q --html " + html + " " + Logs("postgresql.csv") + " " + Logs("requests.jsonl"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string page = Slurp(html);
  unlink(html.c_str());
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("id=\"report-data\""), std::string::npos);
  // Nothing to fetch: no external stylesheet, script, image, font or frame.
  for (const char* ref : {"<link", "src=", "@import", "url(", "<iframe", "https:", "//cdn"}) {
    EXPECT_EQ(page.find(ref), std::string::npos) << ref;
  }
  // The only URL is the SVG namespace, an identifier that is never fetched.
  size_t at = 0, urls = 0;
  while ((at = page.find("http://", at)) != std::string::npos) {
    EXPECT_EQ(page.compare(at, 26, "http://www.w3.org/2000/svg"), 0) << page.substr(at, 40);
    ++urls;
    ++at;
  }
  EXPECT_EQ(urls, 1u);
}

TEST(AuditCli, ProgressBarOnlyWhenAsked) {
  const std::string input = std::string(Logs("postgresql.csv"));
  EXPECT_EQ(Pgsieve("audit -q " + input).err, "");
  const CliRun always = Pgsieve("audit -q --progress always " + input);
  EXPECT_NE(always.err.find("stmt/s"), std::string::npos) << always.err;
  EXPECT_NE(always.err.find('\r'), std::string::npos);
  EXPECT_EQ(always.out, "");
  EXPECT_EQ(Pgsieve("audit -q --progress sometimes " + input).exit_code, 2);
}

// A real terminal: `script` gives pgsieve a pty for stderr.
TEST(AuditCli, ProgressBarOnATerminal) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) not installed";
  const char* bin = std::getenv("PGSIEVE_BIN");
  const std::string out = TempPath();
  const std::string cmd = "script -qec '" + std::string(bin) + " audit -q " + Logs("postgresql.csv") + "' " + out +
                          " >/dev/null 2>&1 </dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string typescript = Slurp(out);
  unlink(out.c_str());
  EXPECT_NE(typescript.find("stmt/s"), std::string::npos) << typescript;
  EXPECT_NE(typescript.find("ETA"), std::string::npos) << typescript;
  EXPECT_NE(typescript.find("\x1b[K"), std::string::npos) << "the bar is erased at the end";
}

// The shared corpus: every statement of tests/data/text2sql.sql, and exactly
// the rejections tests/data/text2sql_rejections.tsv lists (corpus_test
// justifies each), by code.
TEST(AuditCli, Text2SqlCorpus) {
  const auto records = pgsieve::testing::ReadRecords(SourcePath("tests/data/text2sql.sql"));
  std::ifstream tsv(SourcePath("tests/data/text2sql_rejections.tsv"));
  std::string line;
  size_t listed = 0;
  std::map<std::string, size_t> by_code;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++listed;
    std::istringstream f(line);
    std::string index, codes, code;
    std::getline(f, index, '\t');
    std::getline(f, codes, '\t');
    std::istringstream c(codes);
    while (std::getline(c, code, ',')) ++by_code[code];
  }
  const auto j = Report("--top 100 " + SourcePath("tests/data/text2sql.sql"));
  EXPECT_EQ(j["inputs"][0]["format"], "sql");
  EXPECT_EQ(j["totals"]["statements"].get<size_t>(), records.size());
  EXPECT_EQ(j["totals"]["rejected"].get<size_t>(), listed);
  EXPECT_EQ(j["totals"]["allowed"].get<size_t>(), records.size() - listed);
  EXPECT_EQ(j["malformed"]["count"], 0);
  std::map<std::string, size_t> got;
  for (const auto& r : j["by_reason"]) got[r["code"]] = r["statements"];
  EXPECT_EQ(got, by_code);
}

TEST(AuditCli, RegressionCorpusThroughGzipAndStdin) {
  // The PostgreSQL regression statements, compressed on the fly: every record
  // is read, none is malformed, and the SELECT-only subset is mostly allowed.
  const std::string gz = TempPath(".sql.gz");
  ASSERT_EQ(std::system(("gzip -c " + SourcePath("tests/data/regress_select.sql") + " > " + gz).c_str()), 0);
  const auto j = Report(gz);
  unlink(gz.c_str());
  const size_t records = pgsieve::testing::ReadRecords(SourcePath("tests/data/regress_select.sql")).size();
  EXPECT_TRUE(j["inputs"][0]["compressed"].get<bool>());
  EXPECT_EQ(j["totals"]["statements"].get<size_t>(), records);
  EXPECT_EQ(j["malformed"]["count"], 0);
}

TEST(AuditCli, LearnReproducesTheGoldenFingerprintFile) {
  const CliRun r = Pgsieve("learn " + SourcePath("tests/cases/modes_learned.sql"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, Slurp(SourcePath("tests/cases/modes.fingerprints")));
  EXPECT_NE(r.err.find("3 statements; 3 allowed, recorded under 2 fingerprints"), std::string::npos) << r.err;
}

TEST(AuditCli, LearnThenRequire) {
  const std::string learned = TempPath(".fingerprints");
  const std::string policy = TempPath(".toml");
  // Learn from a log: only what the structural policy allows is recorded.
  const CliRun learn = Pgsieve("learn -o " + learned + " " + Logs("postgresql.csv"));
  EXPECT_EQ(learn.exit_code, 0) << learn.err;
  EXPECT_EQ(learn.out, "");
  EXPECT_NE(learn.err.find("11 statements; 7 allowed"), std::string::npos) << learn.err;
  const std::string file = Slurp(learned);
  EXPECT_EQ(file.rfind("# pgsieve fingerprint allow-list", 0), 0u);
  EXPECT_EQ(file.find("pg_sleep"), std::string::npos) << "a rejected statement was learned";
  EXPECT_NE(file.find("select count(*) from orders LIMIT $1\n"), std::string::npos) << file;
  EXPECT_NE(file.find("\t2\tselect count(*) from orders"), std::string::npos) << "counted twice:\n" << file;
  // Then require it: the learned shapes pass, another shape does not.
  std::ofstream(policy) << "fingerprints = \"require\"\nfingerprint_file = \"" << learned << "\"\n";
  const auto j = Report("--policy " + policy + " --format sql -",
                        "select now();\nSELECT count(*) FROM orders;\nselect id from orders;\n");
  EXPECT_EQ(j["policy"]["fingerprints"], "require");
  EXPECT_EQ(j["totals"]["statements"], 3);
  EXPECT_EQ(j["totals"]["rejected"], 1);
  EXPECT_EQ(j["by_reason"][0]["code"], "fingerprint-not-allowed");
  unlink(learned.c_str());
  unlink(policy.c_str());
}

TEST(AuditCli, LearnedShapeIsTheCappedStatementSoLogsAndSendersAgree) {
  // A server behind pgsieve logs the capped text; an executor sends the
  // original. Both have the shape of the statement that runs (capped).
  const CliRun r = Pgsieve("learn --format sql -",
                           "select id from orders where id = 1 LIMIT 1000;\n"
                           "select id from orders where id = 2;\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\t2\tselect id from orders where id = $1 LIMIT $2\n"), std::string::npos) << r.out;
}

// --- streaming --------------------------------------------------------------------

// Feeds `n` generated csvlog records to `pgsieve audit -` through a pipe and
// returns its peak resident set (KiB).
long PeakRssAuditing(int n) {
  const char* bin = std::getenv("PGSIEVE_BIN");
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[0], 0);
    close(fds[0]);
    close(fds[1]);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(bin, bin, "audit", "-q", "--format", "csvlog", "--json", "/dev/null", "-", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  FILE* out = fdopen(fds[1], "w");
  // The second shape does not parse ('' c123 ''): one shape per statement.
  const char* shapes[] = {"select id, total from orders where id = %d;",
                          "select * from customers where name = ''c%d'' order by id",
                          "delete from orders where id = %d", "select pg_sleep(%d)"};
  char sql[200], line[600];
  for (int i = 0; i < n; ++i) {
    std::snprintf(sql, sizeof sql, shapes[i % 4], i);
    std::snprintf(line, sizeof line,
                  "2024-05-%02d %02d:%02d:%02d.000 UTC,\"u%d\",\"shop\",1,\"[local]\",s%d,%d,\"idle\","
                  "2024-05-01 00:00:00 UTC,3/1,0,LOG,00000,\"statement: %s\",,,,,,,,,\"app\",\"client backend\",,0\n",
                  1 + i / 86400 % 28, i / 3600 % 24, i / 60 % 60, i % 60, i % 7, i % 50, i, sql);
    std::fputs(line, out);
  }
  std::fclose(out);
  int status = 0;
  struct rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return usage.ru_maxrss;
}

// Memory independent of log size: four times the statements (about 20 MB vs
// 80 MB of log, streamed through a pipe) must not cost more than a few MB
// more. The log is a worst case for the aggregates: a quarter of its
// statements do not parse and each has a shape of its own, so the shape table
// fills and is pruned (audit_stats.h); both runs are past that point.
TEST(AuditCli, MemoryDoesNotGrowWithTheLog) {
  const long small = PeakRssAuditing(100000);
  const long large = PeakRssAuditing(400000);
  ASSERT_GT(small, 0);
  ASSERT_GT(large, 0);
  std::cout << "[audit] peak RSS: " << small << " KiB for 100,000 statements, " << large
            << " KiB for 400,000 statements\n";
  EXPECT_LT(large, small + 6 * 1024);
}

}  // namespace
