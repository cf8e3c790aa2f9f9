// check_fuzzer: arbitrary bytes as one statement, checked under three
// policies (strict, the embedded default, lenient), each verdict held to every
// invariant of fuzz_support.h: the oracle's independent reading of what runs,
// the cap, the fixed point, violation offsets and positions. Across the three:
// what a stricter policy allows, a more lenient one allows too.
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"

namespace {

using pgsieve::Firewall;
using pgsieve::Policy;
using pgsieve::fuzz::Oracle;

// Statements are short; longer inputs only slow the parser down (its cost is
// linear) without reaching code a 4 KiB input cannot. Keep in check_fuzzer.options.
constexpr size_t kMaxInput = 4096;

Policy StrictPolicy() {
  Policy p;
  p.max_rows = 10;
  p.max_statement_bytes = 1024;  // reachable: too-large
  p.max_depth = 40;              // reachable: too-deep
  p.search_path = {"public", "app"};
  p.explain = false;
  p.show = false;
  p.max_generated_rows = 100;
  p.max_string_bytes = 64;
  p.relations.allow = {"public\\.orders", "app\\.orders", "public\\.customers", "sales\\.items", "sales\\.regions"};
  p.relations.deny = {"sales\\.regions"};
  p.functions.deny = {"lower", "pg_catalog.upper"};
  return p;
}

Policy DefaultPolicy() {
  auto p = pgsieve::ParsePolicy(pgsieve::DefaultPolicyToml(), "default");
  if (!p.ok()) __builtin_trap();
  return p.value();
}

Policy LenientPolicy() {
  Policy p;
  p.max_rows = INT64_C(1) << 53;  // the largest a policy file may set
  p.max_depth = 10000;
  p.explain_analyze = true;
  p.show = true;
  p.standard_conforming_strings = true;
  p.max_generated_rows = INT64_C(1) << 53;
  p.max_string_bytes = INT64_C(1) << 53;
  p.relations.allow_system_catalogs = true;
  p.functions.allow = {"app.safe_fn", "pg_sleep", "mine"};
  return p;
}

struct Checked {
  Firewall firewall;
  Oracle oracle;
  const char* name;
};

Checked Make(const Policy& policy, const char* name) {
  auto fw = Firewall::Create(policy);
  if (!fw.ok()) __builtin_trap();
  return Checked{std::move(fw).value(), Oracle(policy), name};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Ordered from strict to lenient: each allows a superset of the one before.
  static const Checked kPolicies[] = {Make(StrictPolicy(), "strict"), Make(DefaultPolicy(), "default"),
                                      Make(LenientPolicy(), "lenient")};
  if (size > kMaxInput) return -1;  // -1: not added to the corpus
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pgsieve::fuzz::SetInput(input);
  const char* allowed_by = nullptr;
  for (const Checked& c : kPolicies) {
    const pgsieve::Verdict v = c.firewall.Check(input);
    pgsieve::fuzz::CheckVerdict(c.firewall, c.oracle, input, v);
    FUZZ_CHECK(v.allowed() || allowed_by == nullptr, "allowed by the ", allowed_by, " policy but rejected by the ",
               c.name, " policy: ", v.violations[0].code, " ", v.violations[0].message);
    if (v.allowed() && allowed_by == nullptr) allowed_by = c.name;
  }
  return 0;
}
