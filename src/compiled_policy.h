// CompiledPolicy: a Policy turned into the lookup structures the walker asks
// on every relation and function it meets.
//
// Built once by Firewall::Create; immutable afterwards and shared by every
// thread. Lookups allocate only when they reject (to build the message).
#ifndef PGSIEVE_SRC_COMPILED_POLICY_H_
#define PGSIEVE_SRC_COMPILED_POLICY_H_

#include <re2/set.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pgsieve/policy.h"
#include "pgsieve/status.h"

namespace pgsieve::internal {

struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using NameSet = std::unordered_set<std::string, TransparentStringHash, std::equal_to<>>;

// Why a function or relation was refused.
struct Refusal {
  std::string message;
};

class CompiledPolicy {
 public:
  static StatusOr<std::shared_ptr<const CompiledPolicy>> Compile(const Policy& policy);

  const Policy& policy() const { return policy_; }

  // `schema` is empty for an unqualified call. Returns the reason for a refusal.
  std::optional<Refusal> CheckFunction(std::string_view schema, std::string_view name) const;

  // Attribute notation: (expr).name calls name(expr) and t.name calls name(t)
  // when t has no column of that name. Refused only when `name` is a known
  // function such a call can reach and it is not allowed; `row_argument` is
  // true for t.name (the argument is a table row), false for (expr).name.
  std::optional<Refusal> CheckAttributeName(std::string_view name, bool row_argument) const;

  // An operator's schema (empty when unqualified).
  std::optional<Refusal> CheckOperatorSchema(std::string_view schema, std::string_view op) const;

  // A relation reference; `schema` empty when unqualified (resolved through
  // pg_catalog for pg_* names, then every schema of search_path).
  std::optional<Refusal> CheckRelation(std::string_view schema, std::string_view name) const;

 private:
  explicit CompiledPolicy(Policy policy) : policy_(std::move(policy)) {}
  bool FunctionNameAllowed(std::string_view name) const;
  std::optional<Refusal> CheckQualifiedRelation(std::string_view schema, std::string_view name) const;

  Policy policy_;
  NameSet extra_functions_;            // [functions] allow, unqualified
  NameSet extra_qualified_functions_;  // [functions] allow, "schema.name"
  NameSet denied_functions_;           // [functions] deny, unqualified
  NameSet denied_qualified_functions_; // [functions] deny, "schema.name"
  bool allow_every_relation_ = false;  // allow is exactly [".*"]
  std::unique_ptr<RE2::Set> relation_allow_;
  std::unique_ptr<RE2::Set> relation_deny_;  // null when deny is empty
};

// "schema.name" without allocating for the usual short names.
class QualifiedName {
 public:
  QualifiedName(std::string_view schema, std::string_view name);
  std::string_view view() const { return view_; }

 private:
  char buffer_[160];
  std::string heap_;
  std::string_view view_;
};

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_COMPILED_POLICY_H_
