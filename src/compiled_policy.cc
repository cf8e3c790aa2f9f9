#include "compiled_policy.h"

#include <cstring>

#include "function_catalog.h"

namespace pgsieve::internal {
namespace {

constexpr int kMaxDepthCeiling = 10000;  // keeps the recursive walk far from the stack limit

bool IsSystemSchema(std::string_view schema) {
  return schema == "information_schema" || schema.substr(0, 3) == "pg_";
}

StatusOr<std::unique_ptr<RE2::Set>> CompileSet(const std::vector<std::string>& patterns,
                                               const char* key) {
  RE2::Options options;
  options.set_log_errors(false);
  auto set = std::make_unique<RE2::Set>(options, RE2::ANCHOR_BOTH);
  for (const std::string& p : patterns) {
    std::string error;
    if (set->Add(p, &error) < 0) {
      return Status(StatusCode::kInvalidArgument,
                    std::string(key) + ": pattern \"" + p + "\" does not compile: " + error);
    }
  }
  if (!set->Compile()) {
    return Status(StatusCode::kInvalidArgument, std::string(key) + ": patterns do not compile (too large)");
  }
  return set;
}

void SplitNames(const std::vector<std::string>& names, NameSet& unqualified, NameSet& qualified) {
  for (const std::string& n : names) {
    if (n.find('.') == std::string::npos) {
      unqualified.insert(n);
    } else {
      qualified.insert(n);
    }
  }
}

}  // namespace

QualifiedName::QualifiedName(std::string_view schema, std::string_view name) {
  const size_t len = schema.size() + 1 + name.size();
  char* out;
  if (len <= sizeof(buffer_)) {
    out = buffer_;
  } else {
    heap_.resize(len);
    out = heap_.data();
  }
  std::memcpy(out, schema.data(), schema.size());
  out[schema.size()] = '.';
  std::memcpy(out + schema.size() + 1, name.data(), name.size());
  view_ = std::string_view(out, len);
}

StatusOr<std::shared_ptr<const CompiledPolicy>> CompiledPolicy::Compile(const Policy& policy) {
  auto invalid = [](std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); };
  if (policy.max_rows < 0) return invalid("max_rows: must be >= 0");
  if (policy.max_statement_bytes < 1) return invalid("max_statement_bytes: must be >= 1");
  if (policy.max_depth < 1 || policy.max_depth > kMaxDepthCeiling) {
    return invalid("max_depth: must be between 1 and " + std::to_string(kMaxDepthCeiling));
  }
  if (policy.max_generated_rows < 0) return invalid("max_generated_rows: must be >= 0");
  if (policy.max_string_bytes < 0) return invalid("max_string_bytes: must be >= 0");
  if (policy.search_path.empty()) return invalid("search_path: must name at least one schema");
  for (const std::string& s : policy.search_path) {
    if (s.empty()) return invalid("search_path: schema names must not be empty");
  }
  for (const auto* list : {&policy.functions.allow, &policy.functions.deny}) {
    for (const std::string& n : *list) {
      const size_t dot = n.find('.');
      if (n.empty() || dot == 0 || (dot != std::string::npos && (dot + 1 == n.size() || n.find('.', dot + 1) != std::string::npos))) {
        return invalid(std::string(list == &policy.functions.allow ? "functions.allow" : "functions.deny") +
                       ": \"" + n + "\" is not \"name\" or \"schema.name\"");
      }
    }
  }

  std::shared_ptr<CompiledPolicy> c(new CompiledPolicy(policy));
  for (const std::string& pack : policy.extensions) {
    auto scope = PackScope(pack);
    if (!scope) return invalid("extensions: unknown extension pack \"" + pack + "\" (see grammar/catalog)");
    c->scopes_ |= ScopeSet{1} << *scope;
  }
  SplitNames(policy.functions.allow, c->extra_functions_, c->extra_qualified_functions_);
  SplitNames(policy.functions.deny, c->denied_functions_, c->denied_qualified_functions_);

  if (policy.fingerprints == FingerprintPolicy::kRequire) {
    if (policy.fingerprint_file.empty()) return invalid("fingerprint_file: required when fingerprints = \"require\"");
    auto set = FingerprintSet::Load(policy.fingerprint_file);
    if (!set.ok()) return Status(StatusCode::kInvalidArgument, "fingerprint_file: " + set.status().message());
    c->fingerprints_ = std::move(set).value();
  }
  c->allow_every_relation_ = policy.relations.allow.size() == 1 && policy.relations.allow[0] == ".*";
  auto allow = CompileSet(policy.relations.allow, "relations.allow");
  if (!allow.ok()) return allow.status();
  if (!policy.relations.allow.empty()) c->relation_allow_ = std::move(allow).value();
  if (!policy.relations.deny.empty()) {
    auto deny = CompileSet(policy.relations.deny, "relations.deny");
    if (!deny.ok()) return deny.status();
    c->relation_deny_ = std::move(deny).value();
  }
  c->max_rows_text_ = std::to_string(c->policy_.max_rows);
  c->BuildNameTables();
  return std::shared_ptr<const CompiledPolicy>(std::move(c));
}

void CompiledPolicy::BuildNameTables() {
  // Keys point into the generated tables or into this object's own sets,
  // both of which live as long as the policy. One pass over the rows.
  const auto in = [this](int scope) { return ((scopes_ >> scope) & 1) != 0; };
  const std::vector<CatalogRow> rows = AllFunctionRows();
  std::unordered_map<std::string_view, uint8_t> functions;
  functions.reserve(rows.size() + extra_functions_.size() + denied_functions_.size());
  for (const CatalogRow& r : rows) {
    uint8_t& f = functions[r.name];
    if (r.allowed && in(r.scope)) f |= kAllowed | (r.scope == 0 ? kAllowedInCore : kAllowedInPacks);
    if (!r.allowed && !r.category.empty() && r.category != "unreviewed" && r.category != "information-leak") {
      f |= kSideEffect;
    }
    if (IsOneArgumentFunction(r.name)) f |= kOneArgument;
    if (IsRowArgumentFunction(r.name)) f |= kRowArgument;
  }
  for (const std::string& n : extra_functions_) functions[n] |= kAllowed | kAllowedInCore;
  for (const std::string& n : denied_functions_) {
    uint8_t& f = functions[n];
    f = static_cast<uint8_t>((f & ~(kAllowed | kAllowedInCore | kAllowedInPacks)) | kSideEffect);
    if (!IsOneArgumentFunction(n)) f |= kOneArgument;  // unknown arity: assume reachable
  }
  std::unordered_map<std::string_view, uint8_t> operators;
  for (const CatalogRow& r : AllOperatorRows()) {
    uint8_t& f = operators[r.name];
    if (r.allowed && in(r.scope)) f |= kAllowed | (r.scope == 0 ? kAllowedInCore : kAllowedInPacks);
  }
  function_flags_ = NameTable(functions);
  operator_flags_ = NameTable(operators);
  // CheckAttributeName refuses only names with flags and without kAllowed.
  for (const auto& [name, flags] : functions) {
    if (flags != 0 && !(flags & kAllowed)) refusable_attributes_.Add(name);
  }
  for (const auto& [name, flags] : operators) {
    if (flags & kAllowed) allowed_short_operators_.Add(name);
  }
  allows_unqualified_relations_ = allow_every_relation_ && !relation_deny_;
  for (const std::string& schema : policy_.search_path) {
    if (IsSystemSchema(schema)) allows_unqualified_relations_ = false;
  }
}

uint8_t CompiledPolicy::FunctionFlags(std::string_view name) const { return function_flags_.Find(name); }

uint8_t CompiledPolicy::OperatorFlags(std::string_view op) const { return operator_flags_.Find(op); }

bool CompiledPolicy::InSearchPath(std::string_view schema) const {
  for (const std::string& s : policy_.search_path) {
    if (s == schema) return true;
  }
  return false;
}

bool CompiledPolicy::FunctionNameAllowed(std::string_view name, ScopeSet scopes) const {
  if (denied_functions_.find(name) != denied_functions_.end()) return false;
  return extra_functions_.find(name) != extra_functions_.end() || LookupFunction(name, scopes).allowed;
}

std::optional<Refusal> CompiledPolicy::CheckFunction(std::string_view schema, std::string_view name) const {
  if (schema.empty()) {
    if (FunctionFlags(name) & kAllowed) return std::nullopt;
  } else if (schema == "pg_catalog" && denied_qualified_functions_.empty()) {
    if (FunctionFlags(name) & kAllowedInCore) return std::nullopt;
  }
  // Unqualified: pg_catalog or an enabled pack's function through search_path.
  // pg_catalog.name: core only. Another schema: an exact [functions] allow
  // entry, or an enabled pack's function in a search_path schema.
  if (schema.empty()) {
    if (FunctionNameAllowed(name, scopes_)) return std::nullopt;
  } else {
    QualifiedName q(schema, name);
    const bool denied_qualified = denied_qualified_functions_.find(q.view()) != denied_qualified_functions_.end();
    if (!denied_qualified) {
      if (schema == "pg_catalog") {
        if (FunctionNameAllowed(name, kCoreScope)) return std::nullopt;
      } else if (denied_functions_.find(name) == denied_functions_.end() &&
                 (extra_qualified_functions_.find(q.view()) != extra_qualified_functions_.end() ||
                  (InSearchPath(schema) && LookupFunction(name, scopes_ & ~kCoreScope).allowed))) {
        return std::nullopt;
      }
    }
  }
  const std::string shown = schema.empty() ? std::string(name) : std::string(schema) + "." + std::string(name);
  if (denied_functions_.count(name) || (!schema.empty() && denied_qualified_functions_.count(shown))) {
    return Refusal{"function " + shown + " is denied by the policy ([functions] deny)"};
  }
  const CatalogVerdict known = LookupFunction(name, schema == "pg_catalog" ? kCoreScope : scopes_);
  if (!known.disabled_pack.empty() && known.reason.empty()) {
    return Refusal{"function " + shown + " belongs to the extension pack " + std::string(known.disabled_pack) +
                   ", which the policy does not enable; add \"" + std::string(known.disabled_pack) +
                   "\" to extensions after review, or compute the result without it"};
  }
  if (known.known && !known.reason.empty()) {
    return Refusal{shown + " " + std::string(known.reason) + "; not allowed (" + std::string(known.category) +
                   "). Compute the result without it."};
  }
  if (!schema.empty() && schema != "pg_catalog") {
    return Refusal{"function " + shown + " is in schema " + std::string(schema) +
                   ", which the policy does not allow; only pg_catalog functions, enabled extension packs in "
                   "search_path schemas and \"schema.name\" entries of [functions] allow may be called qualified"};
  }
  return Refusal{"function " + shown + " is not a PostgreSQL 15 built-in or an enabled extension's function; "
                 "use a built-in function or add it to [functions] allow after review"};
}

std::optional<Refusal> CompiledPolicy::CheckAttributeName(std::string_view name, AttributeArgument argument) const {
  // Most attribute names are columns: one lookup says so.
  const uint8_t flags = FunctionFlags(name);
  if (flags == 0 || (flags & kAllowed)) return std::nullopt;
  const bool fast_reachable = (flags & kSideEffect) ||
                              (flags & (argument == AttributeArgument::kAnyValue ? kOneArgument : kRowArgument));
  if (!fast_reachable) return std::nullopt;
  // Functions with side effects (sleep, files, large objects, settings, ...)
  // are refused in attribute notation whatever their arity: no real column
  // has such a name, and the refusal does not depend on reasoning about
  // overloads. Information leaks and unreviewed names (oid, version, ...) are
  // common column names, so for them the call must be reachable: one
  // argument, and for t.name one that can be a row.
  const CatalogVerdict known = LookupFunction(name, ~ScopeSet{0});
  const bool side_effect = denied_functions_.count(name) > 0 ||
                           (known.known && !known.category.empty() && known.category != "unreviewed" &&
                            known.category != "information-leak");
  const bool reachable = side_effect || (argument == AttributeArgument::kAnyValue ? IsOneArgumentFunction(name)
                                                                                  : IsRowArgumentFunction(name));
  if (!reachable) return std::nullopt;
  // A reviewed function of a pack the policy does not enable (latitude,
  // soundex, geometry, ...) does nothing a query should not; its name is a
  // common column or composite field name ((address).latitude), which the
  // server reads before it tries the call.
  if (!side_effect && AllowedWhereverDefined(name)) return std::nullopt;
  auto refusal = CheckFunction({}, name);
  if (refusal) refusal->message = "attribute notation ." + std::string(name) + " calls a function: " + refusal->message;
  return refusal;
}

std::optional<Refusal> CompiledPolicy::CheckOperator(std::string_view schema, std::string_view op) const {
  if (schema.empty()) {
    if (OperatorFlags(op) & kAllowed) return std::nullopt;
  } else if (schema == "pg_catalog") {
    if (OperatorFlags(op) & kAllowedInCore) return std::nullopt;
  }
  const bool qualified_elsewhere = !schema.empty() && schema != "pg_catalog";
  if (qualified_elsewhere && !InSearchPath(schema)) {
    return Refusal{"operator " + std::string(schema) + "." + std::string(op) +
                   " is outside pg_catalog and the search_path; use the built-in operator"};
  }
  const ScopeSet scopes = schema == "pg_catalog" ? kCoreScope : qualified_elsewhere ? (scopes_ & ~kCoreScope) : scopes_;
  const CatalogVerdict v = LookupOperator(op, scopes);
  if (v.allowed) return std::nullopt;
  const std::string shown = schema.empty() ? std::string(op) : std::string(schema) + "." + std::string(op);
  if (v.known && !v.reason.empty()) {
    return Refusal{"operator " + shown + " " + std::string(v.reason) + "; not allowed"};
  }
  if (!v.disabled_pack.empty()) {
    return Refusal{"operator " + shown + " belongs to the extension pack " + std::string(v.disabled_pack) +
                   ", which the policy does not enable (policy key extensions)"};
  }
  return Refusal{"operator " + shown +
                 " is not a PostgreSQL 15 built-in operator or one of an enabled extension; use a built-in operator"};
}

std::optional<Refusal> CompiledPolicy::CheckType(std::string_view schema, std::string_view name) const {
  if (schema.empty() || schema == "pg_catalog") return std::nullopt;
  for (const std::string& s : policy_.types.allow_schemas) {
    if (s == schema) return std::nullopt;
  }
  if (InSearchPath(schema) && IsPackType(name, scopes_ & ~kCoreScope)) return std::nullopt;
  return Refusal{"type " + std::string(schema) + "." + std::string(name) +
                 " is outside pg_catalog; casts to types of other schemas are not allowed ([types] allow_schemas)"};
}

std::optional<Refusal> CompiledPolicy::CheckQualifiedRelation(std::string_view schema, std::string_view name) const {
  if (IsSystemSchema(schema) && !policy_.relations.allow_system_catalogs) {
    return Refusal{"relation " + std::string(schema) + "." + std::string(name) +
                   " is a system catalog or view; system catalogs are not allowed (allow_system_catalogs = false)"};
  }
  // The common policy (every relation outside the system catalogs, no deny
  // patterns) needs no "schema.name" text.
  if (!relation_deny_ && allow_every_relation_) return std::nullopt;
  QualifiedName q(schema, name);
  if (relation_deny_ && relation_deny_->Match(q.view(), nullptr)) {
    return Refusal{"relation " + std::string(q.view()) + " is denied by the policy ([relations] deny)"};
  }
  if (allow_every_relation_) return std::nullopt;
  if (relation_allow_ && relation_allow_->Match(q.view(), nullptr)) return std::nullopt;
  return Refusal{"relation " + std::string(q.view()) + " is not allowed by the policy ([relations] allow)"};
}

std::optional<Refusal> CompiledPolicy::CheckRelation(std::string_view schema, std::string_view name) const {
  if (!schema.empty()) return CheckQualifiedRelation(schema, name);
  // PostgreSQL searches pg_catalog first (implicitly), so an unqualified pg_*
  // name reads the catalog when it exists there.
  if (name.substr(0, 3) == "pg_") {
    if (auto r = CheckQualifiedRelation("pg_catalog", name)) return r;
  }
  for (const std::string& s : policy_.search_path) {
    if (auto r = CheckQualifiedRelation(s, name)) {
      r->message = "unqualified " + std::string(name) + " may resolve to " + s + "." + std::string(name) +
                   ": " + r->message;
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace pgsieve::internal
