// Unit tests of `pgsieve audit` (src/audit/): every reader on the committed
// fixtures of tests/data/logs/ (made by tests/data/logs/make_fixtures.py,
// whose comments derive the counts expected here), malformed records, gzip
// (whole, truncated, corrupt), the statement splitter, the log-message rules
// and their de-duplication, literal scrubbing, the aggregation and its
// bounds, the report, and the pipeline's determinism across thread counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "audit/audit_stats.h"
#include "audit/csv_records.h"
#include "audit/input_file.h"
#include "audit/literal_scrub.h"
#include "audit/log_format.h"
#include "audit/log_message.h"
#include "audit/log_time.h"
#include "audit/pipeline.h"
#include "audit/progress.h"
#include "audit/reason_codes.h"
#include "audit/record_reader.h"
#include "audit/report_html.h"
#include "audit/report_json.h"
#include "audit/sql_splitter.h"
#include "audit/work_queue.h"
#include "pgsieve/fingerprints.h"
#include "pgsieve/firewall.h"
#include "test_paths.h"

namespace pgsieve::audit {
namespace {

using testing::SourcePath;

std::string Logs(const std::string& name) { return SourcePath("tests/data/logs/" + name); }

struct ReadResult {
  LogFormat format = LogFormat::kAuto;
  std::vector<LogRecord> records;
  std::vector<Malformed> malformed;
  bool compressed = false;
};

ReadResult ReadAll(const std::string& path, LogFormat requested = LogFormat::kAuto, size_t max_statement = 262145) {
  ReadResult out;
  InputFile in;
  const Status s = in.Open(path, 8 << 20);
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return out;
  out.format = DetectFormat(in.Peek(1 << 16), path, requested);
  ReaderOptions options;
  options.max_statement_bytes = max_statement;
  options.on_malformed = [&](Malformed m) { out.malformed.push_back(std::move(m)); };
  auto reader = OpenRecordReader(out.format, &in, options);
  LogRecord r;
  while (reader->Next(&r)) out.records.push_back(r);
  out.compressed = in.compressed();
  return out;
}

std::vector<std::string> Sqls(const ReadResult& r) {
  std::vector<std::string> out;
  for (const auto& x : r.records) out.push_back(x.sql);
  return out;
}

std::vector<uint64_t> Lines(const ReadResult& r) {
  std::vector<uint64_t> out;
  for (const auto& x : r.records) out.push_back(x.line);
  return out;
}

std::vector<uint64_t> MalformedLines(const ReadResult& r) {
  std::vector<uint64_t> out;
  for (const auto& x : r.malformed) out.push_back(x.line);
  return out;
}

std::string WriteTemp(const std::string& content) {
  char path[] = "/tmp/pgsieve-audit-test-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

Firewall DefaultFirewall(const std::string& toml = "") {
  auto policy = ParsePolicy(toml.empty() ? std::string(DefaultPolicyToml()) : toml, "test");
  EXPECT_TRUE(policy.ok()) << policy.status().message();
  auto fw = Firewall::Create(policy.value());
  EXPECT_TRUE(fw.ok()) << fw.status().message();
  return std::move(fw).value();
}

// The statements of postgresql.csv / postgresql.json, in order (fixture comments 1..11).
const std::vector<std::string> kLogStatements = {
    "select id, total from orders where id = 1;",
    "select pg_sleep(0);",
    "selec 1;",
    "select 'multi\nline' as a, E'tab\\there' as b;",
    "insert into orders values (2, 3, 'x');",
    "select * from nosuchtable;",
    "select id from orders where total > $1",
    "select count(*) from orders",
    "select count(*) from orders",
    "create table t (a int)",
    "select now()",
};

// --- format detection --------------------------------------------------------

TEST(AuditFormat, DetectedFromContentNotName) {
  EXPECT_EQ(ReadAll(Logs("postgresql.csv")).format, LogFormat::kCsvlog);
  EXPECT_EQ(ReadAll(Logs("postgresql.json")).format, LogFormat::kJsonlog);
  EXPECT_EQ(ReadAll(Logs("postgresql.csv.gz")).format, LogFormat::kCsvlog);
  EXPECT_EQ(ReadAll(Logs("pg_stat_statements.csv")).format, LogFormat::kStatStatementsCsv);
  EXPECT_EQ(ReadAll(Logs("pg_stat_statements.json")).format, LogFormat::kStatStatementsJson);
  EXPECT_EQ(ReadAll(Logs("queries.sql")).format, LogFormat::kSql);
  EXPECT_EQ(ReadAll(Logs("records.sql")).format, LogFormat::kSql);
  EXPECT_EQ(ReadAll(Logs("requests.jsonl")).format, LogFormat::kJsonl);
  // A misleading name does not matter.
  EXPECT_EQ(DetectFormat("2024-05-24 10:00:00.100 UTC,,,8000,,x,1", "log.sql"), LogFormat::kCsvlog);
  EXPECT_EQ(DetectFormat("{\"timestamp\":\"x\",\"error_severity\":\"LOG\"}\n", "a.csv"), LogFormat::kJsonlog);
  EXPECT_EQ(DetectFormat("{\"sql\":\"select 1\"}\n", "a.json"), LogFormat::kJsonl);
  EXPECT_EQ(DetectFormat("query,calls\nselect 1,2\n", "x.txt"), LogFormat::kStatStatementsCsv);
  EXPECT_EQ(DetectFormat("[{\"query\":\"select 1\"}]", "x"), LogFormat::kStatStatementsJson);
  // Only an empty input falls back on the name.
  EXPECT_EQ(DetectFormat("", "empty.csv.gz"), LogFormat::kCsvlog);
  EXPECT_EQ(DetectFormat("", "empty.json"), LogFormat::kJsonlog);
  EXPECT_EQ(DetectFormat("", "empty"), LogFormat::kSql);
  EXPECT_EQ(DetectFormat("select 1;", "q.csv"), LogFormat::kSql);
}

TEST(AuditFormat, ForcedFormatWinsAndPgssPicksCsvOrJson) {
  EXPECT_EQ(DetectFormat("select 1", "x", LogFormat::kJsonl), LogFormat::kJsonl);
  EXPECT_EQ(DetectFormat("query,calls\n", "x", LogFormat::kStatStatements), LogFormat::kStatStatementsCsv);
  EXPECT_EQ(DetectFormat(" [ {", "x", LogFormat::kStatStatements), LogFormat::kStatStatementsJson);
  EXPECT_EQ(ParseFormatName("pgss-json"), LogFormat::kStatStatementsJson);
  EXPECT_EQ(ParseFormatName("csvlog"), LogFormat::kCsvlog);
  EXPECT_FALSE(ParseFormatName("stderr").has_value());
  for (const char* name : {"auto", "csvlog", "jsonlog", "pgss", "pgss-csv", "pgss-json", "sql", "jsonl"}) {
    ASSERT_TRUE(ParseFormatName(name).has_value()) << name;
    EXPECT_EQ(FormatName(*ParseFormatName(name)), name);
  }
}

// --- csvlog and jsonlog ------------------------------------------------------

TEST(AuditCsvlog, ReadsStatementsWithWhoAndWhen) {
  const ReadResult r = ReadAll(Logs("postgresql.csv"));
  EXPECT_EQ(Sqls(r), kLogStatements);
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{3, 5, 8, 9, 13, 15, 17, 22, 24, 25, 27}));
  ASSERT_EQ(r.records.size(), 11u);
  const LogRecord& first = r.records[0];
  EXPECT_EQ(first.user, "alice");
  EXPECT_EQ(first.database, "shop");
  EXPECT_EQ(first.application, "dashboard");
  EXPECT_EQ(first.timestamp, "2024-05-24 10:00:01.010 UTC");
  EXPECT_EQ(FormatIsoTime(first.time_ms), "2024-05-24T10:00:01.010Z");
  EXPECT_EQ(first.calls, 1u);
  EXPECT_EQ(r.records[7].user, "carol");
  EXPECT_EQ(r.records[7].application, "report");
  EXPECT_EQ(r.records[10].user, "dave");
}

TEST(AuditCsvlog, MalformedRecordsAreReportedWithTheirLineAndSkipped) {
  const ReadResult r = ReadAll(Logs("postgresql.csv"));
  EXPECT_EQ(MalformedLines(r), (std::vector<uint64_t>{7, 29, 30}));
  ASSERT_EQ(r.malformed.size(), 3u);
  EXPECT_NE(r.malformed[0].reason.find("4 fields"), std::string::npos) << r.malformed[0].reason;
  EXPECT_NE(r.malformed[1].reason.find("pgaudit"), std::string::npos) << r.malformed[1].reason;
  EXPECT_NE(r.malformed[2].reason.find("unterminated"), std::string::npos) << r.malformed[2].reason;
}

TEST(AuditCsvlog, AnUnterminatedQuoteCostsOneReportNotTheRestOfTheFile) {
  // Quote parity decides where a record ends (PostgreSQL doubles every quote
  // inside a field, so a statement cannot fake a record boundary); a broken
  // record swallows lines only up to the record limit (2 x the statement cap
  // + 1 MiB), then the reader resumes at the next line that starts like a
  // csvlog record.
  std::string log = "2024-05-24 10:00:00.000 UTC,\"u\",\"d\",1,,s,1,,x,x,0,LOG,00000,\"statement: select 'oops\n";
  for (int i = 0; i < 40000; ++i) log += "filler line " + std::to_string(i) + " with no quote at all\n";
  log += "2024-05-24 10:00:01.000 UTC,\"u\",\"d\",1,,s,2,,x,x,0,LOG,00000,\"statement: select 2\",,,,,,,,,\"app\",\"client backend\",,0\n";
  const std::string path = WriteTemp(log);
  const ReadResult r = ReadAll(path, LogFormat::kCsvlog, /*max_statement=*/1000);
  unlink(path.c_str());
  EXPECT_EQ(Sqls(r), (std::vector<std::string>{"select 2"}));
  EXPECT_EQ(r.malformed.size(), 1u);
}

TEST(AuditJsonlog, ReadsTheSameStatementsAsTheCsvlog) {
  const ReadResult r = ReadAll(Logs("postgresql.json"));
  EXPECT_EQ(Sqls(r), kLogStatements);
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{3, 5, 8, 9, 11, 13, 16, 21, 23, 24, 26}));
  const ReadResult csv = ReadAll(Logs("postgresql.csv"));
  for (size_t i = 0; i < r.records.size() && i < csv.records.size(); ++i) {
    EXPECT_EQ(r.records[i].user, csv.records[i].user) << i;
    EXPECT_EQ(r.records[i].database, csv.records[i].database) << i;
    EXPECT_EQ(r.records[i].application, csv.records[i].application) << i;
    EXPECT_EQ(r.records[i].time_ms, csv.records[i].time_ms) << i;
  }
  EXPECT_EQ(MalformedLines(r), (std::vector<uint64_t>{7, 14, 28}));
}

// --- gzip ----------------------------------------------------------------------

TEST(AuditGzip, ReadDirectlyWithTheSameResult) {
  const ReadResult gz = ReadAll(Logs("postgresql.csv.gz"));
  const ReadResult plain = ReadAll(Logs("postgresql.csv"));
  EXPECT_TRUE(gz.compressed);
  EXPECT_FALSE(plain.compressed);
  EXPECT_EQ(Sqls(gz), Sqls(plain));
  EXPECT_EQ(Lines(gz), Lines(plain));
  EXPECT_EQ(MalformedLines(gz), MalformedLines(plain));
}

TEST(AuditGzip, TruncatedStreamKeepsWhatWasReadAndReportsTheCut) {
  const ReadResult r = ReadAll(Logs("truncated.csv.gz"));
  ASSERT_FALSE(r.records.empty());
  ASSERT_LT(r.records.size(), kLogStatements.size());
  for (size_t i = 0; i < r.records.size(); ++i) EXPECT_EQ(r.records[i].sql, kLogStatements[i]);
  ASSERT_FALSE(r.malformed.empty());
  EXPECT_NE(r.malformed.back().reason.find("truncated gzip"), std::string::npos) << r.malformed.back().reason;
}

TEST(AuditGzip, CorruptStreamIsOneMalformedReportNotACrash) {
  const ReadResult r = ReadAll(Logs("corrupt.csv.gz"));
  ASSERT_FALSE(r.malformed.empty());
  EXPECT_NE(r.malformed.back().reason.find("gzip data error"), std::string::npos) << r.malformed.back().reason;
  for (size_t i = 0; i < r.records.size(); ++i) EXPECT_EQ(r.records[i].sql, kLogStatements[i]);
}

// --- pg_stat_statements --------------------------------------------------------

TEST(AuditStatStatements, CsvExportWithCallsUserAndDatabase) {
  const ReadResult r = ReadAll(Logs("pg_stat_statements.csv"));
  EXPECT_EQ(Sqls(r), (std::vector<std::string>{"select id, total from orders where id = $1",
                                               "select count(*) from orders limit $1",
                                               "insert into orders values ($1, $2, $3)", "set work_mem = '8MB'",
                                               "select *\nfrom orders\nwhere status = $1"}));
  std::vector<uint64_t> calls;
  for (const auto& x : r.records) calls.push_back(x.calls);
  EXPECT_EQ(calls, (std::vector<uint64_t>{5, 3, 2, 1, 2}));
  EXPECT_EQ(r.records[0].user, "alice");
  EXPECT_EQ(r.records[0].database, "shop");
  EXPECT_EQ(r.records[2].user, "bob");
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(MalformedLines(r), (std::vector<uint64_t>{9}));  // calls "x"; calls 0 is skipped silently
}

TEST(AuditStatStatements, CsvWithoutQueryColumnIsOneReport) {
  const std::string path = WriteTemp("calls,total_time\n1,2\n3,4\n");
  const ReadResult r = ReadAll(path, LogFormat::kStatStatementsCsv);
  unlink(path.c_str());
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.malformed.size(), 1u);
  EXPECT_NE(r.malformed[0].reason.find("query"), std::string::npos);
}

TEST(AuditStatStatements, JsonArrayStreamsObjectByObject) {
  const ReadResult r = ReadAll(Logs("pg_stat_statements.json"));
  EXPECT_EQ(Sqls(r), Sqls(ReadAll(Logs("pg_stat_statements.csv"))));
  std::vector<uint64_t> calls;
  for (const auto& x : r.records) calls.push_back(x.calls);
  EXPECT_EQ(calls, (std::vector<uint64_t>{5, 3, 2, 1, 2}));
  EXPECT_EQ(r.records[3].user, "bob");  // its nested object with a "}" inside a string is skipped correctly
  EXPECT_EQ(MalformedLines(r), (std::vector<uint64_t>{7, 8}));
}

TEST(AuditStatStatements, JsonLinesToo) {
  const std::string path = WriteTemp(
      "{\"query\": \"select 1\", \"calls\": 4}\n{\"query\": \"delete from t\", \"calls\": \"2\", \"rolname\": \"r\"}\n");
  const ReadResult r = ReadAll(path);
  unlink(path.c_str());
  EXPECT_EQ(r.format, LogFormat::kStatStatementsJson);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].calls, 4u);
  EXPECT_EQ(r.records[1].calls, 2u);
  EXPECT_EQ(r.records[1].user, "r");
  EXPECT_TRUE(r.malformed.empty());
}

// --- plain SQL and JSON Lines ----------------------------------------------------

TEST(AuditSqlFile, SplitsAtTopLevelSemicolonsOnly) {
  const ReadResult r = ReadAll(Logs("queries.sql"));
  EXPECT_EQ(Sqls(r), (std::vector<std::string>{
                         "/* 1 */ select id, total from orders where status = 'a;b' order by id limit 10",
                         "select \"odd;name\" from orders",
                         "select E'it\\'s; fine' as s, 'it''s; fine' as t",
                         "/* a comment; with a semicolon /* nested; */ still comment */ select 4 as four",
                         "create function f() returns int language sql as $body$ select 1; $body$",
                         "select $$a;b$$ as dollar,\n       $1 as param",
                         "COPY orders (id, total) FROM stdin",
                         "delete from orders where id = 1",
                         "select now()",
                     }));
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{7, 8, 9, 10, 11, 12, 14, 18, 20}));
  EXPECT_TRUE(r.malformed.empty());
}

TEST(AuditSqlFile, CorpusRecordFormatIsOneStatementPerRecord) {
  const ReadResult r = ReadAll(Logs("records.sql"));
  EXPECT_EQ(Sqls(r), (std::vector<std::string>{"select 1", "select 2;\nselect 3", "drop table t"}));
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{1, 3, 8}));
}

TEST(AuditSqlFile, LongStatementIsCutAtTheCapNotHeld) {
  const std::string path = WriteTemp("select '" + std::string(5000, 'x') + "';\nselect 2;\n");
  const ReadResult r = ReadAll(path, LogFormat::kSql, /*max_statement=*/101);
  unlink(path.c_str());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].sql.size(), 101u);
  EXPECT_EQ(r.records[1].sql, "select 2");
}

TEST(AuditSqlSplitter, Table) {
  struct Case {
    std::vector<std::string> lines;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {{"select 1; select 2;"}, {"select 1", " select 2"}},
      {{"select ';'", ";"}, {"select ';'\n"}},
      {{"select $x$ ; $y$ ; $x$;"}, {"select $x$ ; $y$ ; $x$"}},
      {{"select $1; select a$b;"}, {"select $1", " select a$b"}},
      {{"select E'\\';'; select 2;"}, {"select E'\\';'", " select 2"}},
      {{"select E'\\'';'; select 2;"}, {"select E'\\''", "'; select 2;"}},
      {{"-- only a comment;", "/* and ; this */"}, {}},
      {{";;;"}, {}},
      {{"select 1 -- trailing; comment", ";"}, {"select 1 -- trailing; comment\n"}},
      {{"\\connect db", "select 1;"}, {"select 1"}},
      {{"copy t from stdin;", "a;b", "\\.", "select 3;"}, {"copy t from stdin", "select 3"}},
      {{"select \"a\"\"b;\" from t;"}, {"select \"a\"\"b;\" from t"}},
      {{"select 'unterminated;"}, {"select 'unterminated;"}},
  };
  for (const Case& c : cases) {
    SqlSplitter s(1 << 20);
    std::vector<SplitStatement> out;
    uint64_t n = 0;
    for (const std::string& line : c.lines) s.AddLine(line, ++n, &out);
    s.Finish(&out);
    std::vector<std::string> got;
    for (const auto& x : out) got.push_back(x.sql);
    EXPECT_EQ(got, c.want) << c.lines[0];
  }
}

TEST(AuditJsonl, RequestsAsCheckJsonlReadsThem) {
  const ReadResult r = ReadAll(Logs("requests.jsonl"));
  EXPECT_EQ(Sqls(r), (std::vector<std::string>{"select * from orders -- newest", "drop table orders",
                                               "select pg_read_file('/etc/passwd')",
                                               "select count(*) from orders limit 5"}));
  EXPECT_EQ(Lines(r), (std::vector<uint64_t>{1, 2, 5, 7}));
  EXPECT_EQ(r.records[0].user, "agent-7");
  EXPECT_EQ(r.records[0].application, "copilot");
  EXPECT_EQ(r.records[0].database, "shop");
  EXPECT_EQ(FormatIsoTime(r.records[1].time_ms), "2024-05-24T09:00:05.000Z");
  EXPECT_EQ(r.records[3].time_ms, kNoTime);
  EXPECT_EQ(MalformedLines(r), (std::vector<uint64_t>{3, 4, 8}));
}

// --- the pieces ------------------------------------------------------------------

TEST(AuditInputFile, LinesCrLfLongLinesAndNoFinalNewline) {
  const std::string path = WriteTemp("a\r\nbb\n" + std::string(3000, 'x') + "\nlast");
  InputFile in;
  ASSERT_TRUE(in.Open(path, 1024).ok());
  std::string line;
  EXPECT_EQ(in.ReadLine(&line), InputFile::kLine);
  EXPECT_EQ(line, "a");
  EXPECT_EQ(in.ReadLine(&line), InputFile::kLine);
  EXPECT_EQ(line, "bb");
  EXPECT_EQ(in.ReadLine(&line), InputFile::kTooLong);
  EXPECT_EQ(in.line_number(), 3u);
  EXPECT_EQ(in.ReadLine(&line), InputFile::kLine);
  EXPECT_EQ(line, "last");
  EXPECT_EQ(in.line_number(), 4u);
  EXPECT_EQ(in.ReadLine(&line), InputFile::kEnd);
  unlink(path.c_str());
  InputFile missing;
  EXPECT_EQ(missing.Open("/nonexistent/pgsieve.log", 1024).code(), StatusCode::kNotFound);
}

TEST(AuditCsv, SplitTable) {
  std::vector<std::string> f;
  std::string error;
  ASSERT_TRUE(SplitCsv("a,\"b,c\",,\"d\"\"e\"", &f, &error));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "", "d\"e"}));
  ASSERT_TRUE(SplitCsv("x,", &f, &error));
  EXPECT_EQ(f, (std::vector<std::string>{"x", ""}));
  ASSERT_TRUE(SplitCsv("\"multi\nline\"", &f, &error));
  EXPECT_EQ(f, (std::vector<std::string>{"multi\nline"}));
  EXPECT_FALSE(SplitCsv("\"open", &f, &error));
  EXPECT_FALSE(SplitCsv("\"a\"b", &f, &error));
}

TEST(AuditLogMessage, StatementLines) {
  std::string sql;
  StatementLine kind;
  ASSERT_TRUE(StatementFromLogMessage("statement: select 1", &sql, &kind));
  EXPECT_EQ(sql, "select 1");
  EXPECT_EQ(kind, StatementLine::kStatement);
  ASSERT_TRUE(StatementFromLogMessage("duration: 1.234 ms  statement: select 2", &sql, &kind));
  EXPECT_EQ(sql, "select 2");
  EXPECT_EQ(kind, StatementLine::kDuration);
  ASSERT_TRUE(StatementFromLogMessage("execute <unnamed>: select $1", &sql, &kind));
  EXPECT_EQ(sql, "select $1");
  EXPECT_EQ(kind, StatementLine::kExecute);
  ASSERT_TRUE(StatementFromLogMessage("execute S_1/C_2: select 3", &sql, &kind));
  EXPECT_EQ(sql, "select 3");
  ASSERT_TRUE(StatementFromLogMessage("duration: 0.1 ms  execute S_1: select 4", &sql, &kind));
  EXPECT_EQ(sql, "select 4");
  EXPECT_EQ(kind, StatementLine::kDuration);
  for (const char* no : {"duration: 0.1 ms", "duration: 0.1 ms  parse <unnamed>: select 1",
                         "duration: 0.1 ms  bind S_1: select 1", "execute fetch from S_1/C_1: select 1",
                         "connection authorized: user=a", "statement select 1"}) {
    EXPECT_FALSE(StatementFromLogMessage(no, &sql, &kind)) << no;
  }
}

TEST(AuditLogMessage, Pgaudit) {
  PgauditEntry e;
  std::string error;
  ASSERT_EQ(ParsePgauditMessage("AUDIT: SESSION,7,1,READ,SELECT,,,\"select 1, 2\",<not logged>", &e, &error),
            PgauditParse::kOk);
  EXPECT_EQ(e.statement_id, "7");
  EXPECT_EQ(e.statement, "select 1, 2");
  // Parameters logged as CSV after the statement.
  ASSERT_EQ(ParsePgauditMessage("AUDIT: SESSION,8,1,READ,SELECT,,,select $1,\"a,\"\"b\"", &e, &error),
            PgauditParse::kOk);
  EXPECT_EQ(e.statement, "select $1");
  // Unbalanced text after the statement still leaves the statement readable.
  ASSERT_EQ(ParsePgauditMessage("AUDIT: OBJECT,9,1,READ,SELECT,TABLE,t,\"select \"\"x\"\"\",\"broken", &e, &error),
            PgauditParse::kOk);
  EXPECT_EQ(e.statement, "select \"x\"");
  EXPECT_EQ(ParsePgauditMessage("statement: select 1", &e, &error), PgauditParse::kNotAudit);
  EXPECT_EQ(ParsePgauditMessage("AUDIT: SESSION,4,1", &e, &error), PgauditParse::kBad);
  EXPECT_EQ(ParsePgauditMessage("AUDIT: WHATEVER,1,1,a,b,c,d,select 1,e", &e, &error), PgauditParse::kBad);
}

// Which entries are statements, in the situations real logs have.
TEST(AuditLogMessage, DeduplicationAcrossSources) {
  auto run = [](const std::vector<LogEntry>& entries) {
    SessionDeduper dedup;
    std::vector<std::string> out;
    std::string sql, error;
    for (const LogEntry& e : entries) {
      if (StatementOfEntry(e, &dedup, &sql, &error) == EntryKind::kStatement) out.push_back(sql);
    }
    return out;
  };
  // log_statement + pgaudit: each statement once, a multi-statement string once.
  EXPECT_EQ(run({{"LOG", "statement: select 1; select 2", "", "s"},
                 {"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1; select 2,<none>", "", "s"},
                 {"LOG", "AUDIT: SESSION,2,1,READ,SELECT,,,select 1; select 2,<none>", "", "s"}}),
            (std::vector<std::string>{"select 1; select 2"}));
  // pgaudit only: the same text twice is two statements (two statement ids).
  EXPECT_EQ(run({{"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>", "", "s"},
                 {"LOG", "AUDIT: SESSION,2,1,READ,SELECT,,,select 1,<none>", "", "s"}}),
            (std::vector<std::string>{"select 1", "select 1"}));
  // pgaudit.log_statement_once.
  EXPECT_EQ(run({{"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>", "", "s"},
                 {"LOG", "AUDIT: SESSION,1,2,READ,SELECT,,,<previously logged>,<none>", "", "s"}}),
            (std::vector<std::string>{"select 1"}));
  // An error after its statement line is the same statement; a syntax error
  // (never logged by log_statement) is counted, each time it happens.
  EXPECT_EQ(run({{"LOG", "statement: select 1/0", "", "s"},
                 {"ERROR", "division by zero", "select 1/0", "s"},
                 {"ERROR", "syntax error", "selec 1", "s"},
                 {"ERROR", "syntax error", "selec 1", "s"}}),
            (std::vector<std::string>{"select 1/0", "selec 1", "selec 1"}));
  // pgaudit + log_min_duration_statement: the duration line comes after.
  EXPECT_EQ(run({{"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>", "", "s"},
                 {"LOG", "duration: 9.000 ms  statement: select 1", "", "s"},
                 {"LOG", "duration: 9.000 ms  statement: select 1", "", "s"}}),
            (std::vector<std::string>{"select 1", "select 1"}));
  // The extended protocol: pgaudit logs at bind, before the execute line.
  EXPECT_EQ(run({{"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select $1,<none>", "", "s"},
                 {"LOG", "execute <unnamed>: select $1", "", "s"},
                 {"LOG", "AUDIT: SESSION,2,1,READ,SELECT,,,select $1,<none>", "", "s"},
                 {"LOG", "execute <unnamed>: select $1", "", "s"},
                 {"ERROR", "division by zero", "select $1", "s"}}),
            (std::vector<std::string>{"select $1", "select $1"}));
  EXPECT_EQ(run({{"LOG", "execute S_1: select 1", "", "s"}, {"LOG", "execute S_1: select 1", "", "s"}}),
            (std::vector<std::string>{"select 1", "select 1"}));
  // Simple then extended protocol with the same text: still one each.
  EXPECT_EQ(run({{"LOG", "statement: select 1", "", "s"},
                 {"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>", "", "s"},
                 {"LOG", "AUDIT: SESSION,2,1,READ,SELECT,,,select 1,<none>", "", "s"},
                 {"LOG", "execute <unnamed>: select 1", "", "s"}}),
            (std::vector<std::string>{"select 1", "select 1"}));
  // Sessions do not mix.
  EXPECT_EQ(run({{"LOG", "statement: select 1", "", "a"},
                 {"LOG", "AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>", "", "b"}}),
            (std::vector<std::string>{"select 1", "select 1"}));
  // Errors without a statement and other severities are not statements.
  EXPECT_EQ(run({{"FATAL", "password authentication failed", "", "s"},
                 {"WARNING", "statement: select 1", "", "s"},
                 {"NOTICE", "AUDIT: SESSION,1,1,READ,SELECT,,,select 9,<none>", "", "s"}}),
            (std::vector<std::string>{"select 9"}));
}

TEST(AuditLogTime, ParseAndFormat) {
  EXPECT_EQ(FormatIsoTime(ParseLogTime("2024-05-24 10:00:01.010 UTC")), "2024-05-24T10:00:01.010Z");
  EXPECT_EQ(FormatIsoTime(ParseLogTime("2024-05-24 12:00:01 +02")), "2024-05-24T10:00:01.000Z");
  EXPECT_EQ(FormatIsoTime(ParseLogTime("2024-05-24 04:30:00.5 -05:30")), "2024-05-24T10:00:00.500Z");
  EXPECT_EQ(FormatIsoTime(ParseLogTime("2024-05-24T10:00:00Z")), "2024-05-24T10:00:00.000Z");
  EXPECT_EQ(FormatIsoTime(ParseLogTime("1969-12-31 23:59:59.999 UTC")), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoTime(ParseLogTime("2000-02-29 00:00:00 UTC")), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(ParseLogTime("2024-13-01 00:00:00"), kNoTime);
  EXPECT_EQ(ParseLogTime("yesterday"), kNoTime);
  EXPECT_EQ(FormatIsoTime(kNoTime), "");
}

// --- no literal values in reports ---------------------------------------------------

TEST(AuditLiterals, ReportExamplesCarryNoLiteralValues) {
  const std::vector<std::string> statements = {
      "select * from users where email = 'jane@example.com' and pin = 4711",
      "select * from users where password = 'hunter2' -- jane@example.com",
      "selec * from users where password = 'hunter2'",  // does not parse
      "select * from t where x = $tag$hunter2$tag$ and y = E'hunter2\\'s'",
      "select 'hunter2",  // unterminated
      "/* 4711 hunter2 */ select 1.5e3, 0x1F",
  };
  for (const std::string& sql : statements) {
    const std::string shown = ReportExample(sql, /*show_literals=*/false);
    for (const char* secret : {"hunter2", "jane@example.com", "4711", "1.5e3"}) {
      EXPECT_EQ(shown.find(secret), std::string::npos) << sql << "\n  => " << shown;
    }
  }
  EXPECT_EQ(ReportExample("select * from t where a = 'x' and b = 2", false), "select * from t where a = $1 and b = $2");
  EXPECT_EQ(ReportExample("selec * from \"T1\" where a = 'x'", false), "selec * from \"T1\" where a = '?'");
  EXPECT_EQ(ReportExample("select  'x'\n  from t", true), "select 'x' from t");
  const std::string long_example = ReportExample("select " + std::string(5000, 'a'), false, 100);
  EXPECT_LE(long_example.size(), 103u);
}

// --- aggregation, report, pipeline ------------------------------------------------------

PipelineResult RunAudit(const Firewall& fw, const std::vector<std::string>& paths, int jobs, AuditStats* stats,
                        LogFormat format = LogFormat::kAuto) {
  PipelineOptions options;
  options.paths = paths;
  options.format = format;
  options.progress = ProgressMode::kNever;
  struct Visitor : StatementVisitor {
    AuditStats stats;
    void Visit(const LogRecord& r, const Verdict& v) override { stats.Add(r, v); }
  };
  std::vector<std::unique_ptr<Visitor>> workers;
  std::vector<StatementVisitor*> visitors;
  for (int i = 0; i < jobs; ++i) {
    workers.push_back(std::make_unique<Visitor>());
    visitors.push_back(workers.back().get());
  }
  PipelineResult result = RunPipeline(fw, options, visitors);
  for (const auto& w : workers) stats->Merge(w->stats);
  return result;
}

TEST(AuditPipeline, CountsOfTheCsvlogFixture) {
  const Firewall fw = DefaultFirewall();
  AuditStats stats;
  const PipelineResult result = RunAudit(fw, {Logs("postgresql.csv")}, 2, &stats);
  EXPECT_EQ(stats.statements, 11u);
  EXPECT_EQ(stats.allowed, 7u);
  EXPECT_EQ(stats.rejected, 4u);
  EXPECT_EQ(stats.would_reject, 0u);
  EXPECT_EQ(stats.capped, 7u);
  EXPECT_EQ(stats.by_reason, (std::map<std::string, uint64_t>{{"ddl-statement", 1},
                                                             {"function-not-allowed", 1},
                                                             {"insert-statement", 1},
                                                             {"parse-error", 1}}));
  EXPECT_EQ(stats.by_user.at("alice").statements, 4u);
  EXPECT_EQ(stats.by_user.at("alice").rejected, 2u);
  EXPECT_EQ(stats.by_user.at("bob").statements, 3u);
  EXPECT_EQ(stats.by_user.at("bob").rejected, 1u);
  EXPECT_EQ(stats.by_user.at("carol").statements, 3u);
  EXPECT_EQ(stats.by_user.at("dave").capped, 1u);
  EXPECT_EQ(stats.by_application.at("report").rejected, 1u);
  EXPECT_EQ(stats.by_database.at("reports").statements, 3u);
  EXPECT_EQ(stats.first_timestamp, "2024-05-24 10:00:01.010 UTC");
  EXPECT_EQ(stats.last_timestamp, "2024-05-24 10:06:00.000 UTC");
  EXPECT_EQ(result.malformed, 3u);
  ASSERT_EQ(result.inputs.size(), 1u);
  EXPECT_EQ(result.inputs[0].records, 11u);
  EXPECT_EQ(result.inputs[0].malformed, 3u);
}

TEST(AuditPipeline, CallsWeightPgStatStatements) {
  const Firewall fw = DefaultFirewall();
  AuditStats stats;
  RunAudit(fw, {Logs("pg_stat_statements.csv")}, 1, &stats);
  EXPECT_EQ(stats.records, 5u);
  EXPECT_EQ(stats.statements, 13u);
  EXPECT_EQ(stats.allowed, 10u);
  EXPECT_EQ(stats.capped, 10u);
  EXPECT_EQ(stats.rejected, 3u);
  EXPECT_EQ(stats.by_reason.at("insert-statement"), 2u);
  EXPECT_EQ(stats.by_user.at("alice").statements, 8u);
}

TEST(AuditPipeline, DetectModeCountsWouldReject) {
  const Firewall fw = DefaultFirewall("mode = \"detect\"");
  AuditStats stats;
  RunAudit(fw, {Logs("postgresql.json")}, 2, &stats);
  EXPECT_EQ(stats.rejected, 0u);
  EXPECT_EQ(stats.would_reject, 4u);
  EXPECT_EQ(stats.flagged(), 4u);
  EXPECT_EQ(stats.allowed, 7u);
  EXPECT_EQ(stats.by_reason.size(), 4u);
  EXPECT_EQ(stats.by_user.at("alice").rejected, 2u);
}

// The report does not depend on the number of threads or their timing.
TEST(AuditPipeline, ReportIsTheSameForAnyNumberOfWorkers) {
  const Firewall fw = DefaultFirewall();
  const std::vector<std::string> paths = {Logs("postgresql.csv"), Logs("postgresql.json"),
                                          Logs("pg_stat_statements.json"), Logs("queries.sql"),
                                          SourcePath("tests/data/samples.sql")};
  std::string first;
  for (int jobs : {1, 2, 5}) {
    AuditStats stats;
    const PipelineResult result = RunAudit(fw, paths, jobs, &stats);
    ReportContext context;
    context.policy = &fw.policy();
    const std::string text = DumpReport(BuildReport(stats, result, context));
    if (first.empty()) {
      first = text;
    } else {
      EXPECT_EQ(text, first) << "jobs=" << jobs;
    }
  }
}

TEST(AuditPipeline, MissingInputIsReportedAndTheOthersAreRead) {
  const Firewall fw = DefaultFirewall();
  AuditStats stats;
  const PipelineResult result = RunAudit(fw, {"/nonexistent/x.csv", Logs("records.sql")}, 1, &stats);
  EXPECT_FALSE(result.all_inputs_opened());
  EXPECT_FALSE(result.inputs[0].error.empty());
  EXPECT_EQ(stats.statements, 3u);
}

TEST(AuditReport, SchemaKeys) {
  const Firewall fw = DefaultFirewall();
  AuditStats stats;
  const PipelineResult result = RunAudit(fw, {Logs("postgresql.csv"), Logs("requests.jsonl")}, 2, &stats);
  ReportContext context;
  context.policy = &fw.policy();
  context.policy_source = "<default policy>";
  context.top = 3;
  const nlohmann::ordered_json r = BuildReport(stats, result, context);
  EXPECT_EQ(r["schema_version"], 1);
  for (const char* key : {"generator", "policy", "show_literals", "jobs", "inputs", "totals", "time_range", "by_reason",
                          "by_user", "by_application", "by_database", "top_rejected", "top_capped", "timeline",
                          "malformed", "limits"}) {
    EXPECT_TRUE(r.contains(key)) << key;
  }
  EXPECT_EQ(r["policy"]["mode"], "enforce");
  EXPECT_EQ(r["totals"]["statements"], 15);
  EXPECT_EQ(r["totals"]["rejected"], 6);
  EXPECT_EQ(r["malformed"]["count"], 6);
  EXPECT_EQ(r["malformed"]["examples"][0]["file"], Logs("postgresql.csv"));
  EXPECT_EQ(r["malformed"]["examples"][0]["line"], 7);
  EXPECT_EQ(r["top_rejected"].size(), 3u);
  EXPECT_EQ(r["by_user"].size(), 3u);
  EXPECT_GT(r["limits"]["users_not_listed"].get<int>(), 0);
  EXPECT_EQ(r["time_range"]["first_seen_utc"], "2024-05-24T09:00:00.000Z");
  EXPECT_EQ(r["timeline"]["bucket_seconds"], 60);
  // 09:00 .. 10:06 by minute, gaps included.
  EXPECT_EQ(r["timeline"]["buckets"].size(), 67u);
  uint64_t in_timeline = 0;
  for (const auto& b : r["timeline"]["buckets"]) in_timeline += b["statements"].get<uint64_t>();
  EXPECT_EQ(in_timeline, 13u);  // the two requests without a timestamp are not on it
  for (const auto& s : r["top_rejected"]) {
    EXPECT_TRUE(s.contains("fingerprint") && s.contains("codes") && s.contains("example") &&
                s.contains("first_seen_at"));
  }
}

TEST(AuditReport, HtmlEmbedsTheReportSafely) {
  nlohmann::ordered_json r = {{"x", "</script><script>alert(1)</script> & <!--"}};
  const std::string embedded = JsonForScript(r);
  EXPECT_EQ(embedded.find('<'), std::string::npos);
  EXPECT_EQ(embedded.find('>'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(embedded)["x"], r["x"]);
}

TEST(AuditStats, MemoryIsBoundedByDistinctShapesAndGroupsNotStatements) {
  AuditStats stats;
  Verdict reject;
  reject.violations.push_back(Violation{"ddl-statement", "m", 0, 1, 1, ""});
  // A frequent shape seen before and after many one-off shapes stays listed.
  LogRecord frequent;
  frequent.sql = "drop table frequent";
  for (int i = 0; i < 5; ++i) stats.Add(frequent, reject);
  for (size_t i = 0; i < 3 * AuditStats::kMaxShapes; ++i) {
    LogRecord r;
    // A distinct shape each: fingerprints ignore digits in names, so letters.
    std::string name;
    for (size_t k = i + 1; k > 0; k /= 26) name += static_cast<char>('a' + k % 26);
    r.sql = "create table t" + name + " (a int)";
    r.user = "user" + std::to_string(i);
    r.sequence = i;
    stats.Add(r, reject);
  }
  EXPECT_LE(stats.shapes.size(), AuditStats::kMaxShapes);
  EXPECT_TRUE(stats.shapes_pruned);
  EXPECT_LE(stats.by_user.size(), AuditStats::kMaxGroups + 1);
  EXPECT_GT(stats.by_user.at("(other)").statements, 0u);
  for (int i = 0; i < 5; ++i) stats.Add(frequent, reject);
  uint64_t in_shapes = stats.untracked_shape_statements;
  for (const auto& [k, s] : stats.shapes) in_shapes += s.statements;
  EXPECT_EQ(in_shapes, stats.statements);
  ASSERT_TRUE(stats.shapes.count(Fingerprint(frequent.sql)));
  EXPECT_EQ(stats.shapes.at(Fingerprint(frequent.sql)).statements, 10u);
}

TEST(AuditStats, TimelineCoarsensInsteadOfGrowing) {
  AuditStats stats;
  Verdict allow;
  allow.decision = Decision::kAllow;
  const int64_t start = ParseLogTime("2024-01-01 00:00:00 UTC");
  for (int64_t i = 0; i < 30000; ++i) {
    LogRecord r;
    r.sql = "select 1 limit 1";
    r.time_ms = start + i * 60000;  // one a minute: 30,000 minute buckets
    stats.Add(r, allow);
  }
  EXPECT_LE(stats.timeline.size(), AuditStats::kMaxTimeBuckets);
  EXPECT_EQ(stats.bucket_ms, 3600000);
  uint64_t total = 0;
  for (const auto& [t, b] : stats.timeline) total += b.statements;
  EXPECT_EQ(total, 30000u);
}

TEST(AuditQueue, BoundedAndClosable) {
  BoundedQueue<int> q(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) q.Push(i);
    q.Close();
  });
  int sum = 0, n = 0;
  while (auto v = q.Pop()) {
    sum += *v;
    ++n;
  }
  producer.join();
  EXPECT_EQ(n, 100);
  EXPECT_EQ(sum, 4950);
}

TEST(AuditProgress, RenderShowsRatesAndEta) {
  const std::string line = Progress::Render(50'000'000, 100'000'000, 20000, 2.0, 120);
  EXPECT_NE(line.find("50%"), std::string::npos) << line;
  EXPECT_NE(line.find("25.0 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("10000 stmt/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 0:02"), std::string::npos) << line;
  EXPECT_LE(line.size(), 119u);
  const std::string unknown = Progress::Render(1000, 0, 10, 1.0, 80);
  EXPECT_EQ(unknown.find("ETA"), std::string::npos) << unknown;
}

TEST(AuditReasonCodes, CoverGrammarDenialsAndTheReadme) {
  std::set<std::string> expected;
  std::ifstream deny(SourcePath("grammar/nodes.deny"));
  std::string line;
  while (std::getline(deny, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string kind, code;
    if (f >> kind >> code) expected.insert(code);
  }
  // The README's reason-code table: "| `code` |" and "`a`, `b`" in its first column.
  std::ifstream readme(SourcePath("README.md"));
  bool in_table = false;
  while (std::getline(readme, line)) {
    if (line.rfind("### Reason codes", 0) == 0) in_table = true;
    if (in_table && line.rfind("### ", 0) == 0 && line != "### Reason codes") break;
    if (!in_table || line.rfind("| `", 0) != 0) continue;
    const std::string first = line.substr(1, line.find('|', 1) - 1);
    size_t p = 0;
    while ((p = first.find('`', p)) != std::string::npos) {
      const size_t e = first.find('`', p + 1);
      expected.insert(first.substr(p + 1, e - p - 1));
      p = e + 1;
    }
  }
  EXPECT_GT(expected.size(), 40u);
  for (const std::string& code : expected) EXPECT_TRUE(IsKnownReasonCode(code)) << code;
  EXPECT_TRUE(IsKnownReasonCode("fingerprint-not-allowed"));
  EXPECT_FALSE(IsKnownReasonCode("reject"));
}

// --- learn ----------------------------------------------------------------------

TEST(AuditLearn, RequireModeRewriteIsAFixedPoint) {
  const std::string file = WriteTemp(Fingerprint("select id from orders where id = 1 LIMIT 1000") + "\t1\tx\n");
  auto policy = ParsePolicy("fingerprints = \"require\"\nfingerprint_file = \"" + file + "\"\n");
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto fw = Firewall::Create(policy.value());
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  const Verdict v = fw.value().Check("select id from orders where id = 2");
  ASSERT_TRUE(v.allowed());
  EXPECT_EQ(v.sql, "select id from orders where id = 2 LIMIT 1000");
  const Verdict again = fw.value().Check(v.sql);
  EXPECT_TRUE(again.allowed()) << (again.violations.empty() ? "" : again.violations[0].code);
  EXPECT_EQ(again.sql, v.sql);
  unlink(file.c_str());
}

}  // namespace
}  // namespace pgsieve::audit
