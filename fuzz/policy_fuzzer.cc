// policy_fuzzer: arbitrary bytes as a TOML policy file. Loading never
// crashes and fails only with a message; the C API agrees with the C++ loader;
// a policy that loads builds a firewall (or names the bad key), and that
// firewall checks a fixed set of statements without crashing, each verdict
// held to the invariants of fuzz_support.h (kinds, functions, operators and
// EXPLAIN by the oracle; relation patterns are the fuzzer's, so relations are
// left to the walker here).
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "pgsieve/fingerprints.h"
#include "pgsieve/pgsieve.h"

namespace {

// Policy files are a few hundred bytes; a larger one only makes longer
// arrays of the same keys. Keep in policy_fuzzer.options.
constexpr size_t kMaxInput = 4096;

// Every statement family the policy keys decide: rows, relations (plain,
// qualified, catalogs, CTE shadowing), functions (allowed, denied, qualified,
// attribute notation), EXPLAIN/ANALYZE, SHOW, literals, resource guards,
// depth, size, extension packs and qualified types.
const char* const kStatements[] = {
    "select * from orders",
    "select id from public.orders o join app.customers c using (id) where o.total > 10 limit 5000",
    "select * from pg_class",
    "select table_name from information_schema.tables",
    "with pg_class as (select 1 as x) select x from pg_class",
    "select lower(name), upper(name), md5(name), pg_sleep(1), app.safe_fn(1), mine(2) from customers",
    "select c.pg_sleep, (c).lower from customers c",
    "select generate_series(1, 100000000), repeat('ab', 100000000), lpad('x', 5000)",
    "select 'a\\b', E'a\\\\b', 'x' ~ '(a)\\1'",
    "explain select 1",
    "explain analyze select * from orders",
    "show search_path",
    "select 1 limit all",
    "select * from orders order by id fetch first 5 rows with ties",
    "with recursive r(n) as (select 1 union all select n + 1 from r) select * from r",
    "(select 1 union select 2) limit 3; ",
    "select 1 -- trailing comment",
    "select ((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))",
    ("select not not not not not not not not not not not not not not not not not not not not not not not not "
     "not not not not not not not not not not not not not not not not not not not not not not not not true"),
    // Extension packs, qualified types (policy keys extensions, [types]).
    "select similarity(name, 'x'), public.similarity(name, 'y') from customers where name % 'abc'",
    "select 'a'::public.citext, uuid_generate_v4(), x::app.money2 from orders",
};

// A fixed fingerprint allow-list (two of the statements above), written once:
// a fuzzed policy's fingerprint_file is replaced by it, so the fuzzer never
// reads files of its choosing (a FIFO or /dev/zero would hang it).
char g_fixture_path[] = "/tmp/pgsieve-fuzz-fingerprints-XXXXXX";

const std::string& FingerprintFixture() {
  static const std::string path = [] {
    char* name = g_fixture_path;
    const int fd = mkstemp(name);
    if (fd < 0) __builtin_trap();
    std::atexit([] { unlink(g_fixture_path); });
    std::string text = "# fixture\n";
    for (const char* sql : {kStatements[0], kStatements[12]}) {
      text += pgsieve::Fingerprint(sql) + "\t1\t" + pgsieve::Normalize(sql) + "\n";
    }
    if (write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) __builtin_trap();
    close(fd);
    return std::string(name);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pgsieve::fuzz::SetInput(text);
  // The same bytes as a fingerprint file: parsed or refused, never a crash.
  auto fingerprints = pgsieve::FingerprintSet::Parse(text, "fuzz");
  FUZZ_CHECK(fingerprints.ok() || !fingerprints.status().message().empty(), "fingerprint file refused without a message");

  // ParsePolicy lets only the TOML subset a policy needs reach toml++ 3.3.0
  // (src/policy_subset.h): its malformed-text bugs are this fuzzer's findings
  // (regressions/policy_fuzzer/toml-*).
  auto policy = pgsieve::ParsePolicy(text, "fuzz.toml");
  // A policy naming a fingerprint file gets the fixture instead (see above);
  // the C API, which would open the fuzzed path, is not asked about it.
  const bool names_file = policy.ok() && (!policy.value().fingerprint_file.empty() ||
                                          policy.value().fingerprints == pgsieve::FingerprintPolicy::kRequire);
  if (names_file) policy.value().fingerprint_file = FingerprintFixture();

  // The C API reads a C string: it sees the text up to the first NUL.
  const std::string c_text(text.substr(0, text.find('\0')));
  char* error = nullptr;
  pgsieve_firewall* c_fw = nullptr;
  // (Only for text without NUL: a prefix could name a file the whole text does not.)
  const bool c_api = !names_file && c_text.size() == text.size();
  if (c_api) c_fw = pgsieve_firewall_new(c_text.empty() ? "#" : c_text.c_str(), &error);
  FUZZ_CHECK(!c_api || (c_fw == nullptr) == (error != nullptr), "C API: firewall and error both set or both null");
  FUZZ_CHECK(c_fw == nullptr || error == nullptr || std::strlen(error) > 0, "C API: empty error message");

  if (!policy.ok()) {
    FUZZ_CHECK(!policy.status().message().empty(), "a refused policy without a message");
    FUZZ_CHECK(policy.status().code() == pgsieve::StatusCode::kParseError ||
                   policy.status().code() == pgsieve::StatusCode::kInvalidArgument,
               "unexpected status code for a refused policy: ", static_cast<int>(policy.status().code()));
    if (c_api) FUZZ_CHECK(c_fw == nullptr, "the C API accepts a policy ParsePolicy refuses");
    pgsieve_free(error);
    pgsieve_firewall_free(c_fw);
    return 0;
  }
  auto firewall = pgsieve::Firewall::Create(policy.value());
  if (c_api) {
    FUZZ_CHECK((c_fw != nullptr) == firewall.ok(), "the C API and Firewall::Create disagree on the policy: ",
               firewall.ok() ? std::string(error != nullptr ? error : "") : firewall.status().message());
  }
  pgsieve_free(error);
  if (!firewall.ok()) {
    FUZZ_CHECK(!firewall.status().message().empty() &&
                   firewall.status().code() == pgsieve::StatusCode::kInvalidArgument,
               "a refused policy without a message or with an unexpected code");
    pgsieve_firewall_free(c_fw);
    return 0;
  }
  const pgsieve::fuzz::Oracle oracle(policy.value(), /*check_relations=*/false);
  std::string context;  // what a failure report shows: the policy and the statement
  for (const char* sql : kStatements) {
    context = std::string(text) + "\n# statement: " + sql;
    pgsieve::fuzz::SetInput(context);
    const pgsieve::Verdict v = firewall.value().Check(sql);
    pgsieve::fuzz::CheckVerdict(firewall.value(), oracle, sql, v);
    if (c_fw != nullptr) {
      char* json = pgsieve_check_json(c_fw, sql, std::strlen(sql));
      FUZZ_CHECK(json != nullptr, "C API: no verdict");
      const std::string_view expected = v.allowed() ? "\"verdict\":\"allow\"" : "\"verdict\":\"reject\"";
      FUZZ_CHECK(std::string_view(json).find(expected) != std::string_view::npos, "C API verdict differs: ", json);
      pgsieve_free(json);
    }
  }
  pgsieve_firewall_free(c_fw);
  return 0;
}
