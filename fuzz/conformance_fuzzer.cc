// conformance_fuzzer: tests/conformance_test.cc on fuzzer-made statements.
// The raw-tree walker records every node it reads; libpg_query's JSON output
// of the same text is the independent view. When the statement is allowed the
// two multisets of (kind, location) must be equal: a node the JSON shows and
// the walker did not visit is a field the generated visitors skipped, i.e. a
// part of the statement nobody checked. When it is rejected, every node the
// walker read must exist in the JSON (it read nothing that is not there).
#include <cstdint>
#include <string>
#include <string_view>

#include "check.h"
#include "fuzz_support.h"
#include "pg_nodes.h"

namespace {

using pgsieve::fuzz::NodeBag;

// As check_fuzzer: the walk is linear in the input; 4 KiB reaches every form.
constexpr size_t kMaxInput = 4096;

// Permissive, so that more statements are allowed and compared node for node.
std::shared_ptr<const pgsieve::internal::CompiledPolicy> Permissive() {
  pgsieve::Policy p;
  p.max_depth = 10000;
  p.explain_analyze = true;
  p.show = true;
  p.standard_conforming_strings = true;
  p.relations.allow_system_catalogs = true;
  p.max_generated_rows = INT64_C(1) << 53;
  p.max_string_bytes = INT64_C(1) << 53;
  auto compiled = pgsieve::internal::CompiledPolicy::Compile(p);
  if (!compiled.ok()) __builtin_trap();
  return compiled.value();
}

std::string Show(const pgsieve::fuzz::NodeKey& k) { return k.first + "@" + std::to_string(k.second); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto policy = Permissive();
  if (size > kMaxInput) return -1;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pgsieve::fuzz::SetInput(input);
  pgsieve::testing::NodeRecorder rec;
  const pgsieve::Verdict v = pgsieve::internal::CheckStatement(*policy, input, &rec);
  pgsieve::fuzz::CheckViolations(input, v);
  if (!v.allowed() && rec.entered().empty() && rec.not_entered().empty()) {
    return 0;  // rejected before the walk (size, encoding, parse error): nothing to compare
  }
  const auto tree = pgsieve::fuzz::ParseJson(input);
  FUZZ_CHECK(tree.has_value(), "the walker read nodes of a statement libpg_query's JSON parse rejects");
  const NodeBag json = pgsieve::fuzz::JsonNodes(*tree);
  if (v.allowed()) {
    for (const auto& [key, n] : json) {
      auto it = rec.entered().find(key);
      const int seen = it == rec.entered().end() ? 0 : it->second;
      FUZZ_CHECK(seen == n, "allowed, but the walker visited ", Show(key), " ", seen, " times; the JSON has it ", n,
                 " times");
    }
    for (const auto& [key, n] : rec.entered()) {
      FUZZ_CHECK(json.count(key) > 0, "allowed, but the walker visited ", Show(key), " which the JSON lacks");
    }
    return 0;
  }
  for (const auto& [key, n] : rec.entered()) {
    auto it = json.find(key);
    FUZZ_CHECK(it != json.end() && it->second >= n, "the walker visited ", Show(key), " x", n,
               ", more than the JSON holds (", it == json.end() ? 0 : it->second, ")");
  }
  for (const auto& [kind, n] : rec.not_entered()) {
    int in_json = 0;
    for (const auto& [key, count] : json) {
      if (key.first == kind) in_json += count;
    }
    FUZZ_CHECK(in_json >= n, "the walker saw ", kind, " x", n, " (not entered), the JSON holds ", in_json);
  }
  return 0;
}
