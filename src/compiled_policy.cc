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
  SplitNames(policy.functions.allow, c->extra_functions_, c->extra_qualified_functions_);
  SplitNames(policy.functions.deny, c->denied_functions_, c->denied_qualified_functions_);

  c->allow_every_relation_ = policy.relations.allow.size() == 1 && policy.relations.allow[0] == ".*";
  auto allow = CompileSet(policy.relations.allow, "relations.allow");
  if (!allow.ok()) return allow.status();
  if (!policy.relations.allow.empty()) c->relation_allow_ = std::move(allow).value();
  if (!policy.relations.deny.empty()) {
    auto deny = CompileSet(policy.relations.deny, "relations.deny");
    if (!deny.ok()) return deny.status();
    c->relation_deny_ = std::move(deny).value();
  }
  return std::shared_ptr<const CompiledPolicy>(std::move(c));
}

bool CompiledPolicy::FunctionNameAllowed(std::string_view name) const {
  if (denied_functions_.find(name) != denied_functions_.end()) return false;
  return IsReviewedAllowedFunction(name) || extra_functions_.find(name) != extra_functions_.end();
}

std::optional<Refusal> CompiledPolicy::CheckFunction(std::string_view schema, std::string_view name) const {
  if (schema.empty() || schema == "pg_catalog") {
    if (FunctionNameAllowed(name)) {
      if (schema.empty()) return std::nullopt;
      QualifiedName q(schema, name);
      if (denied_qualified_functions_.find(q.view()) == denied_qualified_functions_.end()) return std::nullopt;
    }
  } else {
    QualifiedName q(schema, name);
    if (extra_qualified_functions_.find(q.view()) != extra_qualified_functions_.end() &&
        denied_qualified_functions_.find(q.view()) == denied_qualified_functions_.end() &&
        denied_functions_.find(name) == denied_functions_.end()) {
      return std::nullopt;
    }
  }
  const std::string shown = schema.empty() ? std::string(name) : std::string(schema) + "." + std::string(name);
  if (auto denied = FindDeniedFunction(name)) {
    return Refusal{shown + " " + std::string(denied->reason) + "; not allowed (" +
                   std::string(denied->category) + "). Compute the result without it."};
  }
  if (denied_functions_.count(name) || (!schema.empty() && denied_qualified_functions_.count(shown))) {
    return Refusal{"function " + shown + " is denied by the policy ([functions] deny)"};
  }
  if (!schema.empty() && schema != "pg_catalog") {
    return Refusal{"function " + shown + " is in schema " + std::string(schema) +
                   ", which the policy does not allow; only pg_catalog functions and \"schema.name\" "
                   "entries of [functions] allow may be called qualified"};
  }
  return Refusal{"function " + shown + " is not on the function allow-list; use an allowed built-in "
                 "function or add it to [functions] allow after review"};
}

std::optional<Refusal> CompiledPolicy::CheckAttributeName(std::string_view name, bool row_argument) const {
  // A function outside pg_catalog (an extension's, on functions.deny or the
  // policy's deny list) is assumed reachable whatever its argument type.
  const bool reachable = (row_argument ? IsRowArgumentCatalogFunction(name) : IsOneArgumentCatalogFunction(name)) ||
                         FindDeniedFunction(name).has_value() || denied_functions_.count(name) > 0;
  if (!reachable || FunctionNameAllowed(name)) return std::nullopt;
  auto refusal = CheckFunction({}, name);
  if (refusal) refusal->message = "attribute notation ." + std::string(name) + " calls a function: " + refusal->message;
  return refusal;
}

std::optional<Refusal> CompiledPolicy::CheckOperatorSchema(std::string_view schema, std::string_view op) const {
  if (schema.empty() || schema == "pg_catalog") return std::nullopt;
  return Refusal{"operator " + std::string(schema) + "." + std::string(op) +
                 " is outside pg_catalog; use the built-in operator (unqualified or OPERATOR(pg_catalog." +
                 std::string(op) + "))"};
}

std::optional<Refusal> CompiledPolicy::CheckQualifiedRelation(std::string_view schema, std::string_view name) const {
  QualifiedName q(schema, name);
  if (IsSystemSchema(schema) && !policy_.relations.allow_system_catalogs) {
    return Refusal{"relation " + std::string(q.view()) +
                   " is a system catalog or view; system catalogs are not allowed (allow_system_catalogs = false)"};
  }
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
