// `pgsieve audit` and `pgsieve learn`: what the command line runs, kept out
// of src/cli/main.cc so the CLI only parses options.
//
//   pgsieve audit FILE...   check every statement of the logs; a human summary
//                           on stdout, --json / --html reports, --fail-on for CI
//   pgsieve learn FILE...   the fingerprint allow-list (fingerprints.h format)
//                           of every statement the structural policy allows
//
// Exit status: 0 done; 1 a --fail-on condition was met (audit); 2 usage
// error or an input that could not be opened or an output not written.
//
// Thread safety: call from one thread; they start their own workers.
#ifndef PGSIEVE_SRC_AUDIT_COMMANDS_H_
#define PGSIEVE_SRC_AUDIT_COMMANDS_H_

#include <string>
#include <vector>

#include "pgsieve/firewall.h"

namespace pgsieve::audit {

struct AuditCommandOptions {
  std::vector<std::string> paths;  // "-" is standard input
  std::string format = "auto";     // --format (log_format.h names)
  std::string json_path;           // --json FILE, "-" for stdout
  std::string html_path;           // --html FILE
  // --fail-on: "reject" (any rejected or would-reject statement),
  // "malformed" (any unreadable record), or reason codes.
  std::vector<std::string> fail_on;
  bool show_literals = false;
  int jobs = 0;                    // 0: every core
  std::string progress = "auto";   // auto | always | never
  size_t top = 20;
  bool quiet = false;              // no human summary
  std::string policy_source = "<default policy>";
  // --user / --database / --application: only these (repeatable, exact).
  std::vector<std::string> users, databases, applications;
};

int RunAuditCommand(const Firewall& firewall, const AuditCommandOptions& options);

struct LearnCommandOptions {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string output;  // -o FILE; empty: stdout
  int jobs = 0;
  std::string progress = "auto";
  std::vector<std::string> users, databases, applications;
};

// REQUIRES: the firewall was built with mode = learn and fingerprints = off
// (the CLI does that), so allowed verdicts carry their fingerprint.
int RunLearnCommand(const Firewall& firewall, const LearnCommandOptions& options);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_COMMANDS_H_
