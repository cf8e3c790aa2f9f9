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

#include "function_catalog.h"
#include "name_table.h"
#include "short_name_sets.h"
#include "pgsieve/fingerprints.h"
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
  // policy().max_rows in decimal, for the LIMIT the rewrite appends.
  std::string_view max_rows_text() const { return max_rows_text_; }

  // Loaded when fingerprints = "require"; null otherwise.
  const FingerprintSet* required_fingerprints() const { return fingerprints_ ? &*fingerprints_ : nullptr; }

  // `schema` is empty for an unqualified call. Returns the reason for a refusal.
  std::optional<Refusal> CheckFunction(std::string_view schema, std::string_view name) const;

  // What attribute notation x.name passes to name(x).
  enum class AttributeArgument {
    kAnyValue,  // (expr).name, or f.name where f is a function in FROM (may be a scalar)
    kRow,       // t.name where t is a table, view, subquery or CTE: a row
  };
  // Attribute notation: x.name calls name(x) when x has no column of that
  // name. Refused when `name` is a function that is not allowed and such a
  // call can reach it; a deny-listed function taking one argument is refused
  // whatever x is.
  std::optional<Refusal> CheckAttributeName(std::string_view name, AttributeArgument argument) const;
  // Fast answer for the walker: false means CheckAttributeName(name, any)
  // refuses nothing. REQUIRES: `name` is NUL-terminated.
  bool AttributeMayBeRefused(const char* name) const { return refusable_attributes_.MayContain(name); }

  // An operator (`schema` empty when unqualified): allowed when it is a
  // catalog operator (pg_catalog or an enabled pack) whose implementing
  // functions are all allowed.
  std::optional<Refusal> CheckOperator(std::string_view schema, std::string_view op) const;
  // Fast answer for the walker: true means CheckOperator("", op) refuses
  // nothing (exact for operators of one or two ASCII bytes; false for the
  // rest, which take CheckOperator). REQUIRES: `op` is NUL-terminated.
  bool IsAllowedShortOperator(const char* op) const { return allowed_short_operators_.Contains(op); }

  // A type name in a cast or column definition (`schema` empty when
  // unqualified, which is resolved by the server and not checked).
  std::optional<Refusal> CheckType(std::string_view schema, std::string_view name) const;

  // A relation reference; `schema` empty when unqualified (resolved through
  // pg_catalog for pg_* names, then every schema of search_path).
  std::optional<Refusal> CheckRelation(std::string_view schema, std::string_view name) const;
  // Fast answer for the walker: true means CheckRelation("", name) refuses
  // nothing for any name that does not start with "pg_" (every relation is
  // allowed, none denied, and no search_path schema is a system schema).
  bool AllowsUnqualifiedRelations() const { return allows_unqualified_relations_; }

 private:
  explicit CompiledPolicy(Policy policy) : policy_(std::move(policy)) {}
  bool FunctionNameAllowed(std::string_view name, ScopeSet scopes) const;
  bool InSearchPath(std::string_view schema) const;
  std::optional<Refusal> CheckQualifiedRelation(std::string_view schema, std::string_view name) const;

  // One hash lookup answers the common questions about a name under this
  // policy; the slower paths only run to explain a refusal.
  enum NameFlag : uint8_t {
    kAllowed = 1,         // callable unqualified (core, enabled packs, [functions] allow)
    kAllowedInCore = 2,   // callable as pg_catalog.name
    kAllowedInPacks = 4,  // an enabled pack's function (schema.name for a search_path schema)
    kOneArgument = 8,     // (expr).name can reach it
    kRowArgument = 16,    // t.name can reach it
    kSideEffect = 32,     // denied for what it does, not merely unreviewed
  };
  void BuildNameTables();
  uint8_t FunctionFlags(std::string_view name) const;
  uint8_t OperatorFlags(std::string_view op) const;

  Policy policy_;
  std::string max_rows_text_;
  std::optional<FingerprintSet> fingerprints_;
  NameTable function_flags_;
  NameTable operator_flags_;
  NamePrefilter refusable_attributes_;    // names CheckAttributeName may refuse
  ShortNameSet allowed_short_operators_;  // unqualified operators allowed, <= 2 bytes
  bool allows_unqualified_relations_ = false;
  ScopeSet scopes_ = kCoreScope;        // pg_catalog + the enabled extension packs
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
