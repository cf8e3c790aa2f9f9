#include "fuzz_support.h"

#include <pg_query.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>

namespace pgsieve::fuzz {
namespace {

#include "fuzz_lists.inc"

using testing::AllNodes;
using testing::JsonNode;

std::string_view g_input;

template <size_t N>
bool InSorted(const std::string_view (&table)[N], std::string_view name) {
  return std::binary_search(std::begin(table), std::end(table), name);
}

// The classified catalog as sets: (scope, name) allowed, and the names denied
// for a side effect (not merely unreviewed or revealing), in any scope.
struct Catalog {
  std::set<std::pair<std::string, std::string>> functions, operators;
  std::set<std::string> side_effect;
  Catalog() {
    for (const auto& e : kOracleFunctions) {
      if (e.allowed) functions.insert({std::string(e.scope), std::string(e.name)});
      if (!e.allowed && e.category != "unreviewed" && e.category != "information-leak") {
        side_effect.insert(std::string(e.name));
      }
    }
    for (const auto& e : kOracleOperators) {
      if (e.allowed) operators.insert({std::string(e.scope), std::string(e.name)});
    }
  }
};

const Catalog& TheCatalog() {
  static const Catalog catalog;
  return catalog;
}

std::string StringField(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The names of a list of {"String": {"sval": ...}}; nullopt when an element
// is something else.
std::optional<std::vector<std::string>> Names(const nlohmann::json& body, const char* field) {
  std::vector<std::string> out;
  auto it = body.find(field);
  if (it == body.end()) return out;
  if (!it->is_array()) return std::nullopt;
  for (const auto& e : *it) {
    if (!e.is_object() || e.size() != 1 || !e.contains("String")) return std::nullopt;
    out.push_back(StringField(e["String"], "sval"));
  }
  return out;
}

bool IsSystemSchema(const std::string& schema) {
  return schema == "information_schema" || schema.rfind("pg_", 0) == 0;
}

// A literal relation pattern: "schema\\.name" with plain identifier characters.
std::optional<std::string> LiteralPattern(const std::string& pattern) {
  static const std::regex kLiteral(R"(([a-z_][a-z0-9_]*)\\\.([a-z_][a-z0-9_]*))");
  std::smatch m;
  if (!std::regex_match(pattern, m, kLiteral)) return std::nullopt;
  return m[1].str() + "." + m[2].str();
}

// EXPLAIN's ANALYZE option when its value clearly turns it on (the walker is
// stricter: anything not clearly off is on).
bool AnalyzeClearlyOn(const nlohmann::json& defelem) {
  auto arg = defelem.find("arg");
  if (arg == defelem.end()) return true;
  if (!arg->is_object() || arg->size() != 1) return false;
  const std::string kind = arg->begin().key();
  const nlohmann::json& b = arg->begin().value();
  if (kind == "Boolean") return b.value("boolval", false);
  if (kind == "Integer") return b.value("ival", 0) != 0;
  if (kind == "String") {
    const std::string s = StringField(b, "sval");
    return s == "true" || s == "on" || s == "yes" || s == "1" || s == "t" || s == "y";
  }
  return false;
}

void SplitNames(const std::vector<std::string>& names, std::set<std::string>& plain, std::set<std::string>& qualified) {
  for (const std::string& n : names) (n.find('.') == std::string::npos ? plain : qualified).insert(n);
}

// Columns counted in characters: every byte that does not continue a UTF-8
// sequence starts one.
std::pair<int, int> LineColumn(std::string_view text, size_t offset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF);
// NUL bytes are reported separately by the callers that care.
bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

const std::set<std::string>& KnownCodes() {
  static const std::set<std::string> codes = {
      "parse-error", "empty-statement", "multiple-statements", "invalid-encoding", "too-large", "too-deep",
      "node-not-allowed", "insert-statement", "update-statement", "delete-statement", "merge-statement",
      "ddl-statement", "create-table-as", "truncate-statement", "copy-statement", "refresh-statement",
      "import-foreign-schema-statement", "comment-statement", "security-label-statement", "grant-statement",
      "revoke-statement", "default-privileges-statement", "call-statement", "do-statement", "load-statement",
      "prepare-statement", "execute-statement", "deallocate-statement", "transaction-statement", "set-statement",
      "show-statement", "explain-statement", "explain-analyze", "lock-statement", "listen-statement",
      "notify-statement", "unlisten-statement", "maintenance-statement", "cursor-statement",
      "statement-not-allowed", "select-into", "locking-clause", "data-modifying-cte", "function-not-allowed",
      "operator-not-allowed", "type-not-allowed", "relation-not-allowed", "ambiguous-string-literal", "resource-limit",
      "fingerprint-not-allowed",
  };
  return codes;
}

}  // namespace

void SetInput(std::string_view input) { g_input = input; }

std::string Escape(std::string_view bytes, size_t max) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (bytes.size() > max) out += "...(" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

void Fail(const char* file, int line, std::string_view invariant, std::string_view detail) {
  std::fprintf(stderr, "\n==== pgsieve fuzz invariant violated (%s:%d)\n  check:  %.*s\n  detail: %.*s\n  input:  \"%s\"\n\n",
               file, line, static_cast<int>(invariant.size()), invariant.data(), static_cast<int>(detail.size()),
               detail.data(), Escape(g_input).c_str());
  std::fflush(stderr);
  std::abort();
}

std::optional<nlohmann::json> ParseJson(std::string_view sql) {
  const std::string owned(sql);
  PgQueryParseResult r = pg_query_parse(owned.c_str());
  std::optional<nlohmann::json> out;
  std::string unreadable;
  if (r.error == nullptr) {
    out = nlohmann::json::parse(r.parse_tree, nullptr, /*allow_exceptions=*/false);
    if (out->is_discarded()) unreadable = r.parse_tree;
  }
  pg_query_free_parse_result(r);
  FUZZ_CHECK(unreadable.empty(), "libpg_query's JSON output is not JSON: ", Escape(unreadable));
  return out;
}

Oracle::Oracle(const Policy& policy, bool check_relations) : policy_(policy), check_relations_(check_relations) {
  SplitNames(policy.functions.allow, extra_functions_, extra_qualified_functions_);
  SplitNames(policy.functions.deny, denied_functions_, denied_qualified_functions_);
  if (!check_relations_) return;
  every_relation_ = policy.relations.allow.size() == 1 && policy.relations.allow[0] == ".*";
  if (!every_relation_) {
    for (const std::string& p : policy.relations.allow) {
      auto name = LiteralPattern(p);
      FUZZ_CHECK(name.has_value(), "the oracle reads only literal relation patterns: ", p);
      relations_allowed_.insert(*name);
    }
  }
  for (const std::string& p : policy.relations.deny) {
    auto name = LiteralPattern(p);
    FUZZ_CHECK(name.has_value(), "the oracle reads only literal relation patterns: ", p);
    relations_denied_.insert(*name);
  }
}

bool Oracle::InScopes(const std::string& name, bool core, bool packs, const std::set<std::pair<std::string, std::string>>& table) const {
  if (core && table.count({"core", name}) > 0) return true;
  if (packs) {
    for (const std::string& pack : policy_.extensions) {
      if (table.count({pack, name}) > 0) return true;
    }
  }
  return false;
}

bool Oracle::InSearchPath(const std::string& schema) const {
  return std::find(policy_.search_path.begin(), policy_.search_path.end(), schema) != policy_.search_path.end();
}

// Unqualified: allowed in pg_catalog or an enabled pack, or [functions]
// allow. pg_catalog.name: pg_catalog only. Another schema: an exact
// [functions] allow entry, or an enabled pack's function in a search_path
// schema. [functions] deny wins everywhere.
bool Oracle::FunctionAllowed(const std::string& schema, const std::string& name) const {
  const auto& catalog = TheCatalog().functions;
  if (denied_functions_.count(name) > 0) return false;
  if (schema.empty()) return extra_functions_.count(name) > 0 || InScopes(name, true, true, catalog);
  const std::string qualified = schema + "." + name;
  if (denied_qualified_functions_.count(qualified) > 0) return false;
  if (schema == "pg_catalog") return extra_functions_.count(name) > 0 || InScopes(name, true, false, catalog);
  return extra_qualified_functions_.count(qualified) > 0 || (InSearchPath(schema) && InScopes(name, false, true, catalog));
}

// A catalog operator allowed in pg_catalog or an enabled pack (a qualified one
// only in its schema's scopes); without an operator catalog (older trees),
// any operator outside pg_catalog is refused.
bool Oracle::OperatorAllowed(const std::string& schema, const std::string& op) const {
  if (!kOracleKnowsOperators) return schema.empty() || schema == "pg_catalog";
  if (!schema.empty() && schema != "pg_catalog" && !InSearchPath(schema)) return false;
  const bool core = schema.empty() || schema == "pg_catalog";
  const bool packs = schema != "pg_catalog";
  return InScopes(op, core, packs, TheCatalog().operators);
}

// Conservative: a qualified type outside pg_catalog and [types]
// allow_schemas can only be an enabled pack's type in a search_path schema.
bool Oracle::TypeAllowed(const std::string& schema) const {
  if (schema.empty() || schema == "pg_catalog") return true;
  const auto& allowed = policy_.types.allow_schemas;
  if (std::find(allowed.begin(), allowed.end(), schema) != allowed.end()) return true;
  return InSearchPath(schema) && !policy_.extensions.empty();
}

bool Oracle::QualifiedRelationAllowed(const std::string& schema, const std::string& name) const {
  if (IsSystemSchema(schema) && !policy_.relations.allow_system_catalogs) return false;
  const std::string qualified = schema + "." + name;
  if (relations_denied_.count(qualified) > 0) return false;
  return every_relation_ || relations_allowed_.count(qualified) > 0;
}

bool Oracle::RelationAllowed(const std::string& schema, const std::string& name) const {
  if (!schema.empty()) return QualifiedRelationAllowed(schema, name);
  if (name.rfind("pg_", 0) == 0 && !QualifiedRelationAllowed("pg_catalog", name)) return false;
  for (const std::string& s : policy_.search_path) {
    if (!QualifiedRelationAllowed(s, name)) return false;
  }
  return true;
}

std::vector<std::string> Oracle::Forbidden(const nlohmann::json& stmt) const {
  std::vector<std::string> why;
  if (!stmt.is_object() || stmt.size() != 1) {
    why.push_back("statement is not a single node");
    return why;
  }
  const std::string top = stmt.begin().key();
  if (!(top == "SelectStmt" || (top == "ExplainStmt" && policy_.explain) ||
        (top == "VariableShowStmt" && policy_.show))) {
    why.push_back("top-level " + top);
  }
  const std::vector<JsonNode> nodes = AllNodes(stmt);
  std::set<std::string> cte_names;
  for (const JsonNode& n : nodes) {
    if (n.kind == "CommonTableExpr") cte_names.insert(StringField(*n.body, "ctename"));
  }
  // Attribute notation x.name may call name(x): refused for a function
  // denied for its side effects (or by [functions] deny) whatever x is.
  auto attribute = [&](const std::string& name) {
    const bool side_effect = TheCatalog().side_effect.count(name) > 0 || denied_functions_.count(name) > 0;
    if (side_effect && !FunctionAllowed("", name)) why.push_back("attribute notation ." + name);
  };
  for (const JsonNode& n : nodes) {
    if (!InSorted(kOracleAllowedKinds, n.kind)) {
      why.push_back("node kind " + n.kind);
      continue;
    }
    const nlohmann::json& b = *n.body;
    if (!b.is_object()) continue;
    if (n.kind == "FuncCall") {
      auto names = Names(b, "funcname");
      if (!names || names->empty()) {
        why.push_back("unreadable function name");
      } else {
        const std::string name = names->back();
        const std::string schema = names->size() >= 2 ? (*names)[names->size() - 2] : "";
        if (!FunctionAllowed(schema, name)) why.push_back("function " + schema + "." + name);
      }
    } else if (n.kind == "A_Expr" || n.kind == "SortBy") {
      // BETWEEN's name is a keyword; the server expands it into >= and <=.
      if (StringField(b, "kind").find("BETWEEN") != std::string::npos) continue;
      auto names = Names(b, n.kind == "A_Expr" ? "name" : "useOp");
      if (names && !names->empty()) {
        const std::string schema = names->size() >= 2 ? (*names)[names->size() - 2] : "";
        if (!OperatorAllowed(schema, names->back())) why.push_back("operator " + schema + "." + names->back());
      }
    } else if (n.kind == "TypeName") {
      auto names = Names(b, "names");
      if (names && names->size() >= 2 && !TypeAllowed((*names)[names->size() - 2])) {
        why.push_back("type " + (*names)[names->size() - 2] + "." + names->back());
      }
    } else if (n.kind == "RangeVar" && check_relations_) {
      const std::string schema = StringField(b, "schemaname");
      const std::string name = StringField(b, "relname");
      if (!(schema.empty() && cte_names.count(name) > 0) && !RelationAllowed(schema, name)) {
        why.push_back("relation " + schema + "." + name);
      }
    } else if (n.kind == "RangeTableSample") {
      auto names = Names(b, "method");
      static const std::set<std::string> kMethods = {"bernoulli", "system", "system_rows", "system_time"};
      if (!names || names->empty() || kMethods.count(names->back()) == 0 ||
          (names->size() >= 2 && (*names)[names->size() - 2] != "pg_catalog")) {
        why.push_back("TABLESAMPLE method");
      }
    } else if (n.kind == "ColumnRef") {
      auto fields = b.find("fields");
      if (fields != b.end() && fields->is_array() && fields->size() >= 2) {
        const auto& last = fields->back();
        if (last.is_object() && last.contains("String")) attribute(StringField(last["String"], "sval"));
      }
    } else if (n.kind == "A_Indirection") {
      auto ind = b.find("indirection");
      if (ind != b.end() && ind->is_array()) {
        for (const auto& e : *ind) {
          if (e.is_object() && e.contains("String")) attribute(StringField(e["String"], "sval"));
        }
      }
    } else if (n.kind == "ExplainStmt" && !policy_.explain_analyze) {
      auto opts = b.find("options");
      if (opts != b.end() && opts->is_array()) {
        for (const auto& o : *opts) {
          if (o.is_object() && o.contains("DefElem") && StringField(o["DefElem"], "defname") == "analyze" &&
              AnalyzeClearlyOn(o["DefElem"])) {
            why.push_back("EXPLAIN ANALYZE");
          }
        }
      }
    }
  }
  return why;
}

std::optional<long double> ConstantLimit(const nlohmann::json& select) {
  if (select.value("limitOption", "") == "LIMIT_OPTION_WITH_TIES") return std::nullopt;
  auto count = select.find("limitCount");
  if (count == select.end() || !count->is_object() || !count->contains("A_Const")) return std::nullopt;
  const nlohmann::json& c = (*count)["A_Const"];
  if (c.value("isnull", false)) return std::nullopt;
  long double value;
  if (auto i = c.find("ival"); i != c.end()) {
    // libpg_query 15-4.0.0's JSON omits zero and negative integers ({}): both
    // mean no rows, which is what 0 says.
    value = static_cast<long double>(i->value("ival", 0));
  } else if (auto f = c.find("fval"); f != c.end()) {
    const std::string text = StringField(*f, "fval");
    char* end = nullptr;
    value = std::strtold(text.c_str(), &end);
    if (end == text.c_str()) return std::nullopt;
  } else {
    return std::nullopt;  // a string or other constant: not a count the rewriter keeps
  }
  return value;
}

int64_t RowsOf(long double limit) {
  if (!(limit > 0)) return 0;  // negative: an error at run time, no rows
  return static_cast<int64_t>(std::round(std::min(limit, 9.2e18L)));
}

bool KnownBugTolerated(std::string_view id) {
  const char* env = std::getenv("PGSIEVE_FUZZ_KNOWN_BUGS");
  if (env == nullptr) return false;
  const std::string list = std::string(",") + env + ",";
  return list == ",all," || list.find("," + std::string(id) + ",") != std::string::npos;
}

void CheckViolations(std::string_view input, const Verdict& v, const Policy* policy) {
  if (v.would_reject) {
    // Detect mode: the statement runs as given, the violations say why enforce would not.
    FUZZ_CHECK(policy == nullptr || policy->mode == Mode::kDetect, "would_reject outside detect mode");
    FUZZ_CHECK(v.allowed() && v.sql == input && !v.rewritten, "detect mode changed the statement or blocked it");
    FUZZ_CHECK(policy == nullptr || v.max_rows == policy->max_rows, "detect mode: cap ", v.max_rows);
  } else if (v.allowed()) {
    FUZZ_CHECK(v.violations.empty(), "an allowed verdict carries ", v.violations.size(), " violations");
    return;
  } else {
    FUZZ_CHECK(v.sql.empty() && v.max_rows == 0 && !v.rewritten, "a rejection carries sql/max_rows/rewritten");
  }
  FUZZ_CHECK(!v.violations.empty(), "a rejection without a violation");
  const bool valid_input = input.find('\0') == std::string_view::npos && IsUtf8(input);
  int previous = 0;
  for (const Violation& x : v.violations) {
    FUZZ_CHECK(x.code != "internal-error", "internal-error: ", x.message);
    FUZZ_CHECK(KnownCodes().count(x.code) > 0, "undocumented reason code ", x.code);
    FUZZ_CHECK(!x.message.empty(), "empty message for ", x.code);
    FUZZ_CHECK(x.offset >= 0 && static_cast<size_t>(x.offset) <= input.size(), "offset ", x.offset,
               " outside the input (", input.size(), " bytes) for ", x.code);
    FUZZ_CHECK(x.offset >= previous, "violations not in document order: ", x.code, " at ", x.offset, " after ",
               previous);
    previous = x.offset;
    // (The too-large violation sat at byte max_statement_bytes, possibly inside
    // a multi-byte character, until 3e0f8c9.)
    const bool mid_character = static_cast<size_t>(x.offset) < input.size() &&
                               (static_cast<unsigned char>(input[static_cast<size_t>(x.offset)]) & 0xC0) == 0x80;
    FUZZ_CHECK(!valid_input || !mid_character, "offset ", x.offset, " of ", x.code,
               " is inside a multi-byte character");
    const auto [line, column] = LineColumn(input, static_cast<size_t>(x.offset));
    FUZZ_CHECK(x.line == line && x.column == column, "offset ", x.offset, " is line ", line, " column ", column,
               ", reported ", x.line, ":", x.column, " for ", x.code);
    FUZZ_CHECK(input.substr(static_cast<size_t>(x.offset), x.fragment.size()) == x.fragment, "fragment \"",
               Escape(x.fragment), "\" is not the input at offset ", x.offset);
    if (valid_input) {
      FUZZ_CHECK(IsUtf8(x.fragment), "fragment \"", Escape(x.fragment), "\" of valid UTF-8 input is not UTF-8");
      // (PostgreSQL quotes the token it stopped at, which can end inside a
      // multi-byte character: "select 1本" was near "1\xe6" until 604db77.)
      FUZZ_CHECK(IsUtf8(x.message), "message of ", x.code, " is not UTF-8: \"", Escape(x.message), "\"");
    }
  }
}

void CheckVerdict(const Firewall& firewall, const Oracle& oracle, std::string_view input, const Verdict& v) {
  const Policy& policy = firewall.policy();
  CheckViolations(input, v, &policy);
  const bool fingerprinted = policy.mode == Mode::kLearn || policy.fingerprints == FingerprintPolicy::kRequire;
  if (v.allowed() && !v.would_reject && fingerprinted) {
    FUZZ_CHECK(v.fingerprint.size() == 16 && v.fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos,
               "an allowed statement's fingerprint is \"", Escape(v.fingerprint), "\"");
  }
  if (!v.allowed() || v.would_reject) return;
  FUZZ_CHECK(v.max_rows >= 0 && v.max_rows <= policy.max_rows, "cap ", v.max_rows, " outside [0, max_rows ",
             policy.max_rows, "]");
  FUZZ_CHECK(v.rewritten == (v.sql != input), "rewritten=", v.rewritten, " but sql ",
             v.sql == input ? "equals" : "differs from", " the input; sql: \"", Escape(v.sql), "\"");
  FUZZ_CHECK(v.sql.find('\0') == std::string::npos, "NUL byte in the returned sql");

  // What runs: exactly one statement, nothing the oracle forbids.
  const auto tree = ParseJson(v.sql);
  FUZZ_CHECK(tree.has_value(), "the returned sql does not parse: \"", Escape(v.sql), "\"");
  const auto& stmts = (*tree)["stmts"];
  FUZZ_CHECK(stmts.is_array() && stmts.size() == 1, "the returned sql holds ", stmts.size(),
             " statements: \"", Escape(v.sql), "\"");
  const nlohmann::json& stmt = stmts[0]["stmt"];
  const auto why = oracle.Forbidden(stmt);
  FUZZ_CHECK(why.empty(), "allowed, but the oracle finds ", why.front(), " in \"", Escape(v.sql), "\"");

  // Its cap: a top-level constant LIMIT at most max_rows, equal to max_rows
  // reported; EXPLAIN and SHOW are passed through with the policy's cap.
  const std::string top = stmt.begin().key();
  if (top == "SelectStmt") {
    const auto limit = ConstantLimit(stmt.begin().value());
    FUZZ_CHECK(limit.has_value(), "the returned SELECT has no constant top-level LIMIT: \"", Escape(v.sql), "\"");
    FUZZ_CHECK(*limit <= static_cast<long double>(policy.max_rows), "top-level LIMIT ",
               static_cast<double>(*limit), " above max_rows ", policy.max_rows);
    FUZZ_CHECK(RowsOf(*limit) == v.max_rows, "top-level LIMIT ", static_cast<double>(*limit),
               " but max_rows reported ", v.max_rows, ": \"", Escape(v.sql), "\"");
  } else {
    FUZZ_CHECK(v.max_rows == policy.max_rows, top, " reports cap ", v.max_rows, ", not max_rows");
  }

  // A fixed point: checking the returned text returns it unchanged.
  const Verdict again = firewall.Check(v.sql);
  FUZZ_CHECK(again.allowed(), "the returned sql is rejected when checked again: ",
             again.violations.empty() ? "" : again.violations[0].code + " " + again.violations[0].message,
             "; sql: \"", Escape(v.sql), "\"");
  FUZZ_CHECK(again.sql == v.sql, "not a fixed point: \"", Escape(v.sql), "\" became \"", Escape(again.sql), "\"");
  FUZZ_CHECK(again.max_rows == v.max_rows && !again.rewritten, "checked again: cap ", again.max_rows, " (was ",
             v.max_rows, "), rewritten=", again.rewritten);
}

}  // namespace pgsieve::fuzz
