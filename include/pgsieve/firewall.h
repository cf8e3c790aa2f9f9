// Firewall: checks one SQL statement against a policy.
//
//   auto fw = pgsieve::Firewall::Create(pgsieve::Policy{});
//   pgsieve::Verdict v = fw.value().Check("select * from orders");
//   if (v.allowed()) run(v.sql);            // "select * from orders LIMIT 1000"
//   else for (auto& x : v.violations) log(x.code, x.message, x.line, x.column);
//
//   pgsieve::Verdict reused;                   // a checking loop: no heap
//   for (const auto& sql : batch) {            // allocation per allowed
//     fw.value().Check(sql, &reused);          // statement
//     ...
//   }
//
// What Check does, in order: size cap, encoding (no NUL, valid UTF-8), parse
// with PostgreSQL 15's parser (libpg_query), exactly one statement, a
// fail-closed walk of the whole parse tree (node kinds, statements, functions,
// relations, literals, resource guards), then the LIMIT rewrite; the rewritten
// statement is parsed and validated again before it is returned.
//
// Thread safety: a Firewall is immutable after Create; Check may be called
// from any number of threads at once. Each calling thread keeps one parser
// memory context (64 KiB, reset after every statement, freed when the thread
// exits); do not call libpg_query's pg_query_exit() on a thread that checks.
//
// Stack: the walk recurses once per parse-tree level, about 130 bytes per
// level on x86-64, so the default max_depth of 1000 needs about 130 KiB of
// the caller's stack and the ceiling of 10000 about 1.3 MiB. On threads with
// small stacks (musl's default is 128 KiB) give the thread a larger stack or
// lower max_depth (500: about 65 KiB).
#ifndef PGSIEVE_FIREWALL_H_
#define PGSIEVE_FIREWALL_H_

#include <memory>
#include <string_view>

#include "pgsieve/policy.h"
#include "pgsieve/status.h"
#include "pgsieve/verdict.h"

namespace pgsieve {

namespace internal {
class CompiledPolicy;
}

class Firewall {
 public:
  // Compiles the policy (patterns, name sets). Fails with kInvalidArgument
  // naming the key when a value is out of range or a pattern does not compile.
  static StatusOr<Firewall> Create(const Policy& policy);

  // Checks one statement. Never throws; a bug inside pgsieve rejects with
  // internal-error rather than allowing.
  Verdict Check(std::string_view sql) const;

  // The same verdict, written into `*verdict` (every field is overwritten).
  // The storage of its strings is kept: a thread that checks in a loop with
  // one Verdict makes no heap allocation for an allowed statement once
  // `verdict->sql` has grown to the longest statement (Check(sql) allocates
  // the returned `sql`). `sql` may point into `*verdict` itself (checking a
  // verdict's own sql again). REQUIRES: verdict != nullptr.
  void Check(std::string_view sql, Verdict* verdict) const;

  const Policy& policy() const;

 private:
  explicit Firewall(std::shared_ptr<const internal::CompiledPolicy> compiled);
  std::shared_ptr<const internal::CompiledPolicy> compiled_;
};

}  // namespace pgsieve

#endif  // PGSIEVE_FIREWALL_H_
