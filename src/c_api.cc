// The C API (include/pgsieve/pgsieve.h) over the C++ Firewall.
#include "pgsieve/pgsieve.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "pgsieve/firewall.h"
#include "verdict_json.h"

struct pgsieve_firewall {
  pgsieve::Firewall firewall;
};

namespace {

char* CopyOut(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

}  // namespace

extern "C" {

pgsieve_firewall* pgsieve_firewall_new(const char* policy_toml, char** error) {
  if (error != nullptr) *error = nullptr;
  const std::string_view text =
      policy_toml != nullptr && *policy_toml != '\0' ? std::string_view(policy_toml) : pgsieve::DefaultPolicyToml();
  auto policy = pgsieve::ParsePolicy(text, "policy");
  if (!policy.ok()) {
    if (error != nullptr) *error = CopyOut(policy.status().message());
    return nullptr;
  }
  auto firewall = pgsieve::Firewall::Create(policy.value());
  if (!firewall.ok()) {
    if (error != nullptr) *error = CopyOut(firewall.status().message());
    return nullptr;
  }
  return new (std::nothrow) pgsieve_firewall{std::move(firewall).value()};
}

void pgsieve_firewall_free(pgsieve_firewall* firewall) { delete firewall; }

char* pgsieve_check_json(const pgsieve_firewall* firewall, const char* sql, size_t len) {
  if (firewall == nullptr) return nullptr;
  const std::string_view text = sql != nullptr ? std::string_view(sql, len) : std::string_view();
  return CopyOut(pgsieve::VerdictToJson(firewall->firewall.Check(text))
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

char* pgsieve_default_policy(void) { return CopyOut(std::string(pgsieve::DefaultPolicyToml())); }

void pgsieve_free(void* p) { std::free(p); }

}  // extern "C"
