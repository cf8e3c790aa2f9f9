// The command line as a user runs it: exit codes, human output, JSON Lines.
// The binary's path comes from meson (PGSIEVE_BIN).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <sys/wait.h>

#include "test_paths.h"

namespace {

struct CliRun {
  int exit_code;
  std::string out;
};

// Runs `pgsieve ARGS` with `input` on stdin (through a temp file).
CliRun Pgsieve(const std::string& args, const std::string& input = "") {
  const char* bin = std::getenv("PGSIEVE_BIN");
  EXPECT_NE(bin, nullptr) << "PGSIEVE_BIN not set";
  char in_path[] = "/tmp/pgsieve-cli-XXXXXX";
  const int fd = mkstemp(in_path);
  EXPECT_GE(fd, 0);
  { std::ofstream(in_path, std::ios::binary) << input; }
  const std::string cmd = std::string(bin) + " " + args + " < " + in_path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  close(fd);
  unlink(in_path);
  return {WEXITSTATUS(status), out};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

TEST(Cli, AllowExitsZeroAndPrintsTheCappedStatement) {
  const CliRun r = Pgsieve("check 'select * from orders'");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("select * from orders LIMIT 1000"), std::string::npos) << r.out;
}

TEST(Cli, RejectExitsOneWithCodeAndCaret) {
  const CliRun r = Pgsieve("check", "select 1,\n   pg_read_file('/etc/passwd')");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("function-not-allowed at line 2, column 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("       ^"), std::string::npos) << r.out;  // 4 indent + 3 spaces
}

TEST(Cli, BadPolicyExitsTwoNamingTheKey) {
  char path[] = "/tmp/pgsieve-policy-XXXXXX";
  const int fd = mkstemp(path);
  { std::ofstream(path) << "max_rows = 10\nmax_rowz = 3\n"; }
  const CliRun r = Pgsieve(std::string("check --policy ") + path + " 'select 1'");
  close(fd);
  unlink(path);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("max_rowz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(":2:1"), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorExitsTwo) { EXPECT_EQ(Pgsieve("frobnicate").exit_code, 2); }

TEST(Cli, JsonlOneLineOutPerLineIn) {
  const std::string input =
      "{\"id\":1,\"sql\":\"select * from orders -- newest\"}\n"
      "this is not json\n"
      "\n"
      "{\"id\":\"b\",\"sql\":\"drop table t\"}\n";
  const CliRun r = Pgsieve("check --jsonl", input);
  EXPECT_EQ(r.exit_code, 0);
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  const auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["verdict"], "allow");
  const std::string sql = first["sql"];
  // LIMIT 1000 outside the comment: on its own line after it.
  EXPECT_NE(sql.find("\nLIMIT 1000"), std::string::npos) << sql;
  EXPECT_EQ(nlohmann::json::parse(lines[1])["violations"][0]["code"], "bad-request");
  EXPECT_EQ(nlohmann::json::parse(lines[2])["violations"][0]["code"], "bad-request");
  const auto last = nlohmann::json::parse(lines[3]);
  EXPECT_EQ(last["id"], "b");
  EXPECT_EQ(last["violations"][0]["code"], "ddl-statement");
}

TEST(Cli, MaxRowsOverride) {
  const CliRun r = Pgsieve("check --max-rows 5 'select * from t limit 50'");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("select * from t limit 5\n"), std::string::npos) << r.out;
}

TEST(Cli, PolicyDefaultPrintsAParsablePolicy) {
  const CliRun r = Pgsieve("policy --default");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("max_rows = 1000"), std::string::npos);
  EXPECT_NE(r.out.find("[relations]"), std::string::npos);
}

TEST(Cli, BatchOverTheBundledSamples) {
  const CliRun r = Pgsieve("check --batch " + pgsieve::testing::SourcePath("tests/data/samples.sql"));
  EXPECT_EQ(r.exit_code, 1) << "the samples include attacks, so some are rejected";
  EXPECT_NE(r.out.find(" allowed, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("REJECT"), std::string::npos);
  EXPECT_NE(r.out.find("ALLOW"), std::string::npos);
}

}  // namespace
