// Policy loading: TOML (tomlplusplus, header-only, no exceptions) into a
// Policy value. Every key is checked for type and range; unknown keys are
// errors so a typo cannot silently leave a default in place.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "pgsieve/policy.h"

#include "policy_subset.h"

namespace pgsieve {
namespace {

constexpr std::string_view kDefaultPolicyToml = R"(# pgsieve default policy (embedded; `pgsieve policy --default` prints it).
# Every key is optional in a policy file; a missing key takes the value shown.

max_rows = 1000                     # row cap injected into every allowed statement
max_statement_bytes = 262144        # larger input: reject too-large
max_depth = 1000                    # deeper parse tree: reject too-deep (at most 10000)
search_path = ["public"]            # the server's search_path, used to resolve unqualified names
explain = true                      # EXPLAIN (without ANALYZE) of an allowed statement
explain_analyze = false             # EXPLAIN ANALYZE runs the statement
show = false                        # SHOW name
standard_conforming_strings = false # true only if the server guarantees it: plain strings may then hold backslashes
max_generated_rows = 1000000        # generate_series with literal bounds producing more rows: resource-limit
max_string_bytes = 1048576          # repeat/lpad/rpad with literal lengths building longer strings: resource-limit
extensions = []                     # extension packs to allow, e.g. ["pg_trgm", "postgis"] (see grammar/README.md)
mode = "enforce"                    # "enforce" | "detect" (never reject: report would_reject) | "learn" (report fingerprints)
fingerprints = "off"                # "off" | "require": an allowed statement must also match fingerprint_file
fingerprint_file = ""               # learned fingerprints (pgsieve learn); relative to the policy file

[relations]
allow = [".*"]                      # RE2 full-match patterns over "schema.name"
deny = []                           # deny wins over allow
allow_system_catalogs = false       # pg_catalog, information_schema, pg_toast, other pg_* schemas

[functions]
allow = []                          # extra functions ("name" or "schema.name") beyond the classified catalog
deny = []                           # deny wins

[types]
allow_schemas = []                  # schemas whose types may be named qualified (schema.type), beyond pg_catalog
)";

std::string Where(const toml::node& node, std::string_view source) {
  const auto& begin = node.source().begin;
  std::ostringstream out;
  out << source << ":" << begin.line << ":" << begin.column;
  return out.str();
}

Status Invalid(std::string_view source, const toml::node& node, std::string_view key, std::string_view what) {
  return Status(StatusCode::kInvalidArgument,
                Where(node, source) + ": " + std::string(key) + ": " + std::string(what));
}

Status ReadInt(const toml::node& node, std::string_view key, std::string_view source, int64_t min, int64_t max,
               int64_t* out) {
  const auto* v = node.as_integer();
  if (v == nullptr) return Invalid(source, node, key, "expected an integer");
  const int64_t x = v->get();
  if (x < min || x > max) {
    return Invalid(source, node, key,
                   "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                       std::to_string(x));
  }
  *out = x;
  return Status::Ok();
}

Status ReadBool(const toml::node& node, std::string_view key, std::string_view source, bool* out) {
  const auto* v = node.as_boolean();
  if (v == nullptr) return Invalid(source, node, key, "expected true or false");
  *out = v->get();
  return Status::Ok();
}

Status ReadStrings(const toml::node& node, std::string_view key, std::string_view source,
                   std::vector<std::string>* out) {
  const auto* arr = node.as_array();
  if (arr == nullptr) return Invalid(source, node, key, "expected an array of strings");
  out->clear();
  for (const toml::node& item : *arr) {
    const auto* s = item.as_string();
    if (s == nullptr) return Invalid(source, item, key, "expected an array of strings");
    out->push_back(s->get());
  }
  return Status::Ok();
}

Status ReadRelations(const toml::table& table, std::string_view source, RelationPolicy* out) {
  for (const auto& [k, node] : table) {
    const std::string key = "relations." + std::string(k.str());
    Status s;
    if (k == "allow") {
      s = ReadStrings(node, key, source, &out->allow);
    } else if (k == "deny") {
      s = ReadStrings(node, key, source, &out->deny);
    } else if (k == "allow_system_catalogs") {
      s = ReadBool(node, key, source, &out->allow_system_catalogs);
    } else {
      s = Invalid(source, node, key, "unknown key");
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ReadTypes(const toml::table& table, std::string_view source, TypePolicy* out) {
  for (const auto& [k, node] : table) {
    const std::string key = "types." + std::string(k.str());
    Status s = k == "allow_schemas" ? ReadStrings(node, key, source, &out->allow_schemas)
                                    : Invalid(source, node, key, "unknown key");
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ReadFunctions(const toml::table& table, std::string_view source, FunctionPolicy* out) {
  for (const auto& [k, node] : table) {
    const std::string key = "functions." + std::string(k.str());
    Status s;
    if (k == "allow") {
      s = ReadStrings(node, key, source, &out->allow);
    } else if (k == "deny") {
      s = ReadStrings(node, key, source, &out->deny);
    } else {
      s = Invalid(source, node, key, "unknown key");
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

std::string_view DefaultPolicyToml() { return kDefaultPolicyToml; }

StatusOr<Policy> ParsePolicy(std::string_view toml_text, std::string_view source) {
  // toml++ 3.3.0 is only given text inside the subset a policy needs: on some
  // malformed text it breaks its own preconditions (policy_subset.h).
  if (auto problem = internal::PolicySubsetError(toml_text)) {
    return Status(StatusCode::kParseError,
                  std::string(source) + ":" + *problem +
                      "; a policy file uses a subset of TOML: [table] headers, key = value with one-line strings, "
                      "integers, true/false or arrays of those, and comments");
  }
  toml::parse_result parsed = toml::parse(toml_text, source);
  if (!parsed) {
    const toml::parse_error& e = parsed.error();
    std::ostringstream out;
    out << source << ":" << e.source().begin.line << ":" << e.source().begin.column
        << ": not valid TOML: " << e.description();
    return Status(StatusCode::kParseError, out.str());
  }
  const toml::table& root = parsed.table();
  Policy p;
  constexpr int64_t kMaxInt = INT64_C(1) << 53;
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    Status s;
    int64_t i = 0;
    if (key == "max_rows") {
      s = ReadInt(node, key, source, 0, kMaxInt, &p.max_rows);
    } else if (key == "max_statement_bytes") {
      s = ReadInt(node, key, source, 1, INT64_C(1) << 30, &p.max_statement_bytes);
    } else if (key == "max_depth") {
      s = ReadInt(node, key, source, 1, 10000, &i);
      p.max_depth = static_cast<int>(i);
    } else if (key == "search_path") {
      s = ReadStrings(node, key, source, &p.search_path);
      if (s.ok() && p.search_path.empty()) s = Invalid(source, node, key, "must name at least one schema");
    } else if (key == "explain") {
      s = ReadBool(node, key, source, &p.explain);
    } else if (key == "explain_analyze") {
      s = ReadBool(node, key, source, &p.explain_analyze);
    } else if (key == "show") {
      s = ReadBool(node, key, source, &p.show);
    } else if (key == "standard_conforming_strings") {
      s = ReadBool(node, key, source, &p.standard_conforming_strings);
    } else if (key == "max_generated_rows") {
      s = ReadInt(node, key, source, 0, kMaxInt, &p.max_generated_rows);
    } else if (key == "max_string_bytes") {
      s = ReadInt(node, key, source, 0, kMaxInt, &p.max_string_bytes);
    } else if (key == "mode") {
      const auto* v = node.as_string();
      if (v != nullptr && v->get() == "enforce") {
        p.mode = Mode::kEnforce;
      } else if (v != nullptr && v->get() == "detect") {
        p.mode = Mode::kDetect;
      } else if (v != nullptr && v->get() == "learn") {
        p.mode = Mode::kLearn;
      } else {
        s = Invalid(source, node, key, "expected \"enforce\", \"detect\" or \"learn\"");
      }
    } else if (key == "fingerprints") {
      const auto* v = node.as_string();
      if (v != nullptr && v->get() == "off") {
        p.fingerprints = FingerprintPolicy::kOff;
      } else if (v != nullptr && v->get() == "require") {
        p.fingerprints = FingerprintPolicy::kRequire;
      } else {
        s = Invalid(source, node, key, "expected \"off\" or \"require\"");
      }
    } else if (key == "fingerprint_file") {
      const auto* v = node.as_string();
      if (v == nullptr) {
        s = Invalid(source, node, key, "expected a path");
      } else {
        p.fingerprint_file = v->get();
      }
    } else if (key == "extensions") {
      s = ReadStrings(node, key, source, &p.extensions);
    } else if (key == "types") {
      if (!node.is_table()) {
        s = Invalid(source, node, key, "expected a table ([types])");
      } else {
        s = ReadTypes(*node.as_table(), source, &p.types);
      }
    } else if (key == "relations") {
      if (!node.is_table()) {
        s = Invalid(source, node, key, "expected a table ([relations])");
      } else {
        s = ReadRelations(*node.as_table(), source, &p.relations);
      }
    } else if (key == "functions") {
      if (!node.is_table()) {
        s = Invalid(source, node, key, "expected a table ([functions])");
      } else {
        s = ReadFunctions(*node.as_table(), source, &p.functions);
      }
    } else {
      s = Invalid(source, node, key, "unknown key");
    }
    if (!s.ok()) return s;
  }
  return p;
}

StatusOr<Policy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, path + ": cannot open policy file");
  std::ostringstream text;
  text << in.rdbuf();
  auto policy = ParsePolicy(text.str(), path);
  if (policy.ok() && !policy.value().fingerprint_file.empty() && policy.value().fingerprint_file[0] != '/') {
    // Relative to the policy file, so a policy and its fingerprints travel together.
    const size_t slash = path.rfind('/');
    if (slash != std::string::npos) {
      policy.value().fingerprint_file = path.substr(0, slash + 1) + policy.value().fingerprint_file;
    }
  }
  return policy;
}

}  // namespace pgsieve
