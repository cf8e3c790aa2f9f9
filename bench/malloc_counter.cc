// See malloc_counter.h. The executable defines malloc & co., which the
// dynamic linker prefers to glibc's for every library in the process
// (libstdc++, RE2, and the statically linked libpg_query alike).
#include "malloc_counter.h"

#include <cerrno>
#include <cstddef>

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* p);
}

namespace {
// Plain (trivially initialised) thread-locals of the executable: initial-exec
// TLS, no allocation and no __tls_get_addr on access.
thread_local uint64_t t_calls = 0;
thread_local uint64_t t_bytes = 0;

inline void Count(size_t size) {
  ++t_calls;
  t_bytes += size;
}
}  // namespace

namespace pgsieve::bench {
AllocCount ThreadAllocations() { return AllocCount{t_calls, t_bytes}; }
}  // namespace pgsieve::bench

extern "C" {

void* malloc(size_t size) {
  Count(size);
  return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) {
  Count(n * size);
  return __libc_calloc(n, size);
}

void* realloc(void* p, size_t size) {
  Count(size);
  return __libc_realloc(p, size);
}

void free(void* p) { __libc_free(p); }

void* memalign(size_t alignment, size_t size) {
  Count(size);
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) {
  Count(size);
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  Count(size);
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

}  // extern "C"
