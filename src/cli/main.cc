// pgsieve command line.
//
//   pgsieve check 'SQL'              human verdict; exit 0 allow, 1 reject, 2 usage/policy error
//   pgsieve check < file.sql         the statement from stdin
//   pgsieve check --jsonl            JSON Lines in, one JSON verdict line out per input line
//   pgsieve check --batch FILE       statements separated by a line holding only 0x1E
//                                    (the corpus record format); one verdict each + a summary
//   pgsieve policy --default         print the embedded default policy
//   pgsieve audit FILE...            check every statement of query logs (csvlog, jsonlog,
//                                    pgaudit, pg_stat_statements, .sql, JSON Lines; gzip too)
//                                    and report (summary, --json, --html); --fail-on for CI
//   pgsieve learn FILE...            the fingerprint allow-list of the statements the
//                                    structural policy allows (stdout or -o FILE)
//   common: --policy FILE, --max-rows N
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "audit/commands.h"
#include "pgsieve/firewall.h"
#include "pgsieve/policy.h"
#include "text_position.h"
#include "verdict_json.h"

namespace {

constexpr int kExitAllow = 0;
constexpr int kExitReject = 1;
constexpr int kExitUsage = 2;

struct CommonOptions {
  std::string policy_file;
  std::optional<int64_t> max_rows;
};

// `adjust`, when given, changes the loaded policy before it is compiled
// (`pgsieve learn` forces learn mode).
std::optional<pgsieve::Firewall> BuildFirewall(const CommonOptions& opts,
                                               void (*adjust)(pgsieve::Policy&) = nullptr) {
  auto policy = opts.policy_file.empty() ? pgsieve::ParsePolicy(pgsieve::DefaultPolicyToml(), "<default policy>")
                                         : pgsieve::LoadPolicyFile(opts.policy_file);
  if (!policy.ok()) {
    std::cerr << "pgsieve: policy error: " << policy.status().message() << "\n";
    return std::nullopt;
  }
  pgsieve::Policy p = policy.value();
  if (opts.max_rows) p.max_rows = *opts.max_rows;
  if (adjust != nullptr) adjust(p);
  auto firewall = pgsieve::Firewall::Create(p);
  if (!firewall.ok()) {
    std::cerr << "pgsieve: policy error: " << firewall.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(firewall).value();
}

void PrintHuman(std::ostream& out, std::string_view sql, const pgsieve::Verdict& v) {
  if (v.allowed() && !v.would_reject) {
    out << "ALLOW (max_rows " << v.max_rows << (v.rewritten ? ", rewritten" : "") << ")\n" << v.sql << "\n";
    return;
  }
  if (v.would_reject) {
    out << "ALLOW (detect mode: would be REJECTED, " << v.violations.size()
        << (v.violations.size() == 1 ? " violation" : " violations") << ")\n";
  } else {
    out << "REJECT (" << v.violations.size() << (v.violations.size() == 1 ? " violation" : " violations") << ")\n";
  }
  for (const pgsieve::Violation& x : v.violations) {
    out << "  " << x.code << " at line " << x.line << ", column " << x.column << ": " << x.message << "\n";
    const std::string_view line = pgsieve::internal::LineAt(sql, static_cast<size_t>(x.offset));
    if (!line.empty() && line.size() < 400) {
      out << "    " << line << "\n    " << std::string(static_cast<size_t>(std::max(0, x.column - 1)), ' ') << "^\n";
    }
  }
}

int RunJsonl(const pgsieve::Firewall& fw) {
  std::string line;
  std::ios::sync_with_stdio(false);
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::cout << pgsieve::CheckJsonLine(fw, line) << "\n";
  }
  std::cout.flush();
  return kExitAllow;
}

int RunBatch(const pgsieve::Firewall& fw, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "pgsieve: cannot open " << path << "\n";
    return kExitUsage;
  }
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string separator = "\n\x1e\n";
  size_t pos = 0, allowed = 0, rejected = 0, index = 0;
  std::map<std::string, size_t> by_code;
  while (pos < all.size()) {
    size_t end = all.find(separator, pos);
    if (end == std::string::npos) end = all.size();
    const std::string_view sql(all.data() + pos, end - pos);
    pos = end + separator.size();
    if (sql.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    const pgsieve::Verdict v = fw.Check(sql);
    std::cout << "--- #" << ++index << "\n" << sql << "\n=> ";
    PrintHuman(std::cout, sql, v);
    if (v.allowed()) {
      ++allowed;
    } else {
      ++rejected;
      for (const auto& x : v.violations) ++by_code[x.code];
    }
  }
  std::cout << "\n" << index << " statements: " << allowed << " allowed, " << rejected << " rejected\n";
  for (const auto& [code, n] : by_code) std::cout << "  " << code << ": " << n << "\n";
  return rejected > 0 ? kExitReject : kExitAllow;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pgsieve: SQL allow-list firewall for PostgreSQL (PostgreSQL 15 parser)"};
  app.require_subcommand(1);
  CommonOptions common;

  CLI::App* check = app.add_subcommand("check", "check one statement (argument or stdin), JSON Lines, or a batch file");
  std::string sql_arg;
  bool jsonl = false;
  std::string batch;
  check->add_option("sql", sql_arg, "the statement (default: read stdin)");
  check->add_flag("--jsonl", jsonl, "read {\"id\":..,\"sql\":..} lines on stdin, write one JSON verdict per line");
  check->add_option("--batch", batch, "check every statement of a file in the corpus record format (0x1E lines)");
  check->add_option("--policy", common.policy_file, "TOML policy file (default: the embedded policy)");
  check->add_option("--max-rows", common.max_rows, "override the policy's max_rows")->check(CLI::NonNegativeNumber);

  CLI::App* policy_cmd = app.add_subcommand("policy", "show the policy");
  bool print_default = false;
  policy_cmd->add_flag("--default", print_default, "print the embedded default policy");
  policy_cmd->add_option("--policy", common.policy_file, "validate this policy file");

  CLI::App* audit_cmd = app.add_subcommand(
      "audit", "check every statement of query logs and report what the policy would allow, reject and cap");
  pgsieve::audit::AuditCommandOptions audit;
  audit_cmd->add_option("files", audit.paths,
                        "inputs: PostgreSQL csvlog / jsonlog (with pgaudit lines), pg_stat_statements exports "
                        "(CSV or JSON), .sql files, JSON Lines; gzip read directly; - is stdin")
      ->required();
  audit_cmd->add_option("--format", audit.format,
                        "input format for every file: auto (default), csvlog, jsonlog, pgss, pgss-csv, "
                        "pgss-json, sql, jsonl");
  audit_cmd->add_option("--json", audit.json_path, "write the JSON report to FILE (- for stdout)");
  audit_cmd->add_option("--html", audit.html_path, "write a self-contained HTML report with charts to FILE");
  audit_cmd->add_option("--fail-on", audit.fail_on,
                        "exit 1 when any statement is rejected (reject), has one of these reason codes "
                        "(CODE[,CODE...]), or a record is unreadable (malformed); may be repeated")
      ->allow_extra_args(false);
  audit_cmd->add_flag("--show-literals", audit.show_literals,
                      "print examples as written (default: literals replaced by $n placeholders)");
  audit_cmd->add_option("--jobs,-j", audit.jobs, "worker threads (default: every core)")->check(CLI::NonNegativeNumber);
  audit_cmd->add_option("--progress", audit.progress, "progress bar on stderr: auto (a terminal only), always, never");
  audit_cmd->add_option("--top", audit.top, "entries in the top lists and breakdowns (default 20)")
      ->check(CLI::PositiveNumber);
  audit_cmd->add_flag("--quiet,-q", audit.quiet, "no human summary");
  audit_cmd->add_option("--user", audit.users, "only statements of this user (repeatable)")->allow_extra_args(false);
  audit_cmd->add_option("--database", audit.databases, "only statements in this database (repeatable)")
      ->allow_extra_args(false);
  audit_cmd->add_option("--application", audit.applications, "only statements of this application_name (repeatable)")
      ->allow_extra_args(false);
  audit_cmd->add_option("--policy", common.policy_file, "TOML policy file (default: the embedded policy)");
  audit_cmd->add_option("--max-rows", common.max_rows, "override the policy's max_rows")->check(CLI::NonNegativeNumber);

  CLI::App* learn_cmd = app.add_subcommand(
      "learn", "build a fingerprint allow-list from the statements of logs that the structural policy allows");
  pgsieve::audit::LearnCommandOptions learn;
  learn_cmd->add_option("files", learn.paths, "inputs, as for audit")->required();
  learn_cmd->add_option("--format", learn.format, "input format, as for audit (default: auto)");
  learn_cmd->add_option("-o,--output", learn.output, "write the fingerprint file here (default: stdout)");
  learn_cmd->add_option("--jobs,-j", learn.jobs, "worker threads (default: every core)")->check(CLI::NonNegativeNumber);
  learn_cmd->add_option("--progress", learn.progress, "progress bar on stderr: auto, always, never");
  learn_cmd->add_option("--user", learn.users, "only statements of this user (repeatable)")->allow_extra_args(false);
  learn_cmd->add_option("--database", learn.databases, "only statements in this database (repeatable)")
      ->allow_extra_args(false);
  learn_cmd->add_option("--application", learn.applications, "only statements of this application_name (repeatable)")
      ->allow_extra_args(false);
  learn_cmd->add_option("--policy", common.policy_file, "TOML policy file (default: the embedded policy)");
  learn_cmd->add_option("--max-rows", common.max_rows, "override the policy's max_rows")->check(CLI::NonNegativeNumber);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  if (policy_cmd->parsed()) {
    if (print_default || common.policy_file.empty()) {
      std::cout << pgsieve::DefaultPolicyToml();
      return 0;
    }
    return BuildFirewall(common) ? 0 : kExitUsage;
  }

  if (audit_cmd->parsed()) {
    auto fw = BuildFirewall(common);
    if (!fw) return kExitUsage;
    if (!common.policy_file.empty()) audit.policy_source = common.policy_file;
    return pgsieve::audit::RunAuditCommand(*fw, audit);
  }
  if (learn_cmd->parsed()) {
    // Learn what the structural policy allows: a policy in detect mode would
    // allow everything, and one that requires fingerprints would learn nothing new.
    auto fw = BuildFirewall(common, [](pgsieve::Policy& p) {
      p.mode = pgsieve::Mode::kLearn;
      p.fingerprints = pgsieve::FingerprintPolicy::kOff;
    });
    if (!fw) return kExitUsage;
    return pgsieve::audit::RunLearnCommand(*fw, learn);
  }

  auto fw = BuildFirewall(common);
  if (!fw) return kExitUsage;
  if (jsonl) return RunJsonl(*fw);
  if (!batch.empty()) return RunBatch(*fw, batch);
  std::string sql = sql_arg;
  if (check->count("sql") == 0) {
    sql.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  const pgsieve::Verdict v = fw->Check(sql);
  PrintHuman(std::cout, sql, v);
  return v.allowed() ? kExitAllow : kExitReject;
}
