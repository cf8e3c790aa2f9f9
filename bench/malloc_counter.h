// A counting hook around malloc for the benchmark binary: every malloc,
// calloc, realloc and aligned allocation made by this thread (by pgsieve, by
// libpg_query, by libstdc++'s operator new) is counted. The hook forwards to
// glibc's own allocator, so behaviour is unchanged; counting costs one
// thread-local increment per call.
#ifndef PGSIEVE_BENCH_MALLOC_COUNTER_H_
#define PGSIEVE_BENCH_MALLOC_COUNTER_H_

#include <cstdint>

namespace pgsieve::bench {

struct AllocCount {
  uint64_t calls = 0;  // malloc + calloc + realloc + aligned allocations
  uint64_t bytes = 0;  // bytes requested
};

// This thread's totals since it started.
AllocCount ThreadAllocations();

}  // namespace pgsieve::bench

#endif  // PGSIEVE_BENCH_MALLOC_COUNTER_H_
