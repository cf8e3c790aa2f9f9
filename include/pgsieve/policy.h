// Policy: what pgsieve allows, loaded from TOML or taken from the embedded
// default. Every field has a default; a policy file only names what it changes.
//
//   auto policy = pgsieve::LoadPolicyFile("policy.toml");
//   if (!policy.ok()) { std::cerr << policy.status().message(); return 2; }
//
// The TOML keys are the field names below ([relations] and [functions] are
// tables). Unknown keys are errors, so a typo cannot silently weaken a policy.
//
// Thread safety: a Policy is a plain value. Build a Firewall from it once.
#ifndef PGSIEVE_POLICY_H_
#define PGSIEVE_POLICY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pgsieve/status.h"

namespace pgsieve {

struct RelationPolicy {
  // RE2 full-match patterns over "schema.name". Default: [".*"].
  std::vector<std::string> allow = {".*"};
  // Deny wins over allow. Default: empty.
  std::vector<std::string> deny;
  // pg_catalog, information_schema, pg_toast and every other pg_* schema.
  // Default: false (system catalogs and views are rejected).
  bool allow_system_catalogs = false;
};

struct FunctionPolicy {
  // Functions allowed beyond grammar/functions.allow: "name" (a pg_catalog or
  // search_path function called unqualified or as pg_catalog.name) or
  // "schema.name" (exactly that qualified call). Default: empty.
  std::vector<std::string> allow;
  // Deny wins over every allow, including grammar/functions.allow. Default: empty.
  std::vector<std::string> deny;
};

// How the firewall acts on a statement that breaks the policy.
enum class Mode {
  kEnforce,  // reject it (the default)
  kDetect,   // allow it unchanged, with would_reject = true and the violations
  kLearn,    // enforce, and report the fingerprint of every allowed statement
             // so the caller can record it (FingerprintRecorder, `pgsieve learn`)
};

// Whether statements must also match a learned fingerprint.
enum class FingerprintPolicy {
  kOff,      // the structural policy alone decides (the default)
  kRequire,  // an allowed statement must also match fingerprint_file
};

struct TypePolicy {
  // Schemas whose types may be named qualified (schema.type) in casts and
  // column definitions, beyond pg_catalog. Default: empty.
  std::vector<std::string> allow_schemas;
};

struct Policy {
  // Row cap injected into every allowed statement. Default: 1000.
  int64_t max_rows = 1000;
  // Longer input is rejected as too-large before parsing. Default: 262144.
  int64_t max_statement_bytes = 262144;
  // Deeper parse trees are rejected as too-deep. Default: 1000; at most 10000.
  int max_depth = 1000;
  // The server's search_path, used to resolve unqualified relation names.
  // Default: ["public"].
  std::vector<std::string> search_path = {"public"};
  // EXPLAIN (without ANALYZE) of an allowed statement. Default: true.
  bool explain = true;
  // EXPLAIN ANALYZE of an allowed statement (it runs the statement). Default: false.
  bool explain_analyze = false;
  // SHOW name. Default: false.
  bool show = false;
  // Set true only if the server guarantees standard_conforming_strings = on:
  // plain '...' literals may then contain backslashes. Default: false.
  bool standard_conforming_strings = false;
  // generate_series with literal bounds producing more rows: resource-limit.
  // Default: 1000000.
  int64_t max_generated_rows = 1000000;
  // repeat/lpad/rpad with literal lengths building longer strings:
  // resource-limit. Default: 1048576.
  int64_t max_string_bytes = 1048576;

  // TOML: mode = "enforce" | "detect" | "learn". Default: enforce.
  Mode mode = Mode::kEnforce;
  // TOML: fingerprints = "off" | "require". Default: off.
  FingerprintPolicy fingerprints = FingerprintPolicy::kOff;
  // The learned fingerprint file (fingerprints.h format); relative paths are
  // relative to the policy file. Required when fingerprints = "require".
  std::string fingerprint_file;

  // Extension packs whose reviewed functions, operators and types are
  // allowed (grammar/catalog: pgcrypto, pg_trgm, fuzzystrmatch, unaccent,
  // citext, hstore, ltree, cube, earthdistance, tablefunc, uuid-ossp,
  // tsm_system_rows, tsm_system_time, postgis). Default: empty.
  std::vector<std::string> extensions;

  RelationPolicy relations;
  FunctionPolicy functions;
  TypePolicy types;
};

// The embedded default policy as TOML (what `pgsieve policy --default` prints).
std::string_view DefaultPolicyToml();

// Parses a TOML policy. `source` names the text in error messages (a path).
// Errors name the key and, for syntax errors, the line and column.
StatusOr<Policy> ParsePolicy(std::string_view toml_text, std::string_view source = "policy");

// Reads and parses a policy file.
StatusOr<Policy> LoadPolicyFile(const std::string& path);

}  // namespace pgsieve

#endif  // PGSIEVE_POLICY_H_
