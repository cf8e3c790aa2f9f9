#include "pgsieve/firewall.h"

#include "check.h"
#include "compiled_policy.h"

namespace pgsieve {

Firewall::Firewall(std::shared_ptr<const internal::CompiledPolicy> compiled) : compiled_(std::move(compiled)) {}

StatusOr<Firewall> Firewall::Create(const Policy& policy) {
  auto compiled = internal::CompiledPolicy::Compile(policy);
  if (!compiled.ok()) return compiled.status();
  return Firewall(std::move(compiled).value());
}

Verdict Firewall::Check(std::string_view sql) const { return internal::CheckStatement(*compiled_, sql); }

void Firewall::Check(std::string_view sql, Verdict* verdict) const {
  internal::CheckStatementInto(*compiled_, sql, *verdict);
}

const Policy& Firewall::policy() const { return compiled_->policy(); }

}  // namespace pgsieve
