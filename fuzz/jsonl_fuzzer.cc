// jsonl_fuzzer: arbitrary bytes as the stdin of `pgsieve check --jsonl`,
// split into lines exactly as the command line does (std::getline, one
// trailing '\r' dropped), each line through CheckJsonLine (what the command
// prints). Invariants of the machine contract (README, "The verdict"):
//  - one output line per input line: no output holds a newline;
//  - every output line is a valid JSON object (so valid UTF-8) with the
//    documented keys and types;
//  - a well-formed request ({"sql": "..."}) gets exactly Firewall::Check's
//    verdict, its "id" back unchanged, and the C API's answer agrees;
//  - anything else gets a single bad-request violation.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "pgsieve/pgsieve.h"

namespace {

// Fuzzing uses lines of a few statements (max_len = 8192 in
// jsonl_fuzzer.options); the hard bound here is larger so that committed
// inputs with very deep ids (fuzz/open_bugs/jsonl_fuzzer/) replay whole.
constexpr size_t kMaxInput = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pgsieve::Firewall firewall = [] {
    auto fw = pgsieve::Firewall::Create(pgsieve::Policy{});
    if (!fw.ok()) __builtin_trap();
    return std::move(fw).value();
  }();
  static pgsieve_firewall* const c_firewall = pgsieve_firewall_new(nullptr, nullptr);
  if (size > kMaxInput) return -1;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  pgsieve::fuzz::SetInput(input);

  size_t pos = 0;
  while (pos < input.size()) {  // std::getline: a final line without '\n' counts, an empty tail does not
    size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    pgsieve::fuzz::CheckJsonLine(firewall, c_firewall, line);
  }
  return 0;
}
