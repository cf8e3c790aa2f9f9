/* A bump-pointer PostgreSQL memory context for one parse tree at a time.
 *
 * The raw parser allocates a few hundred small nodes per statement and frees
 * almost none of them; the whole context is reset after the statement is
 * checked. PostgreSQL 15's AllocSet, which pg_query_raw_parse uses, keeps
 * size-class free lists for chunks that are never freed: its alloc is about
 * 8% of a check's instructions (bench/README.md). This context hands out
 * chunks from the end of the current block and forgets them until reset.
 *
 * It is an ordinary MemoryContext (palloc, palloc0, repalloc, pfree,
 * MemoryContextReset, MemoryContextDelete and MemoryContextStats all work on
 * it):
 *  - every chunk is MAXALIGNed and preceded by its size and its context, the
 *    layout GetMemoryChunkContext() requires;
 *  - repalloc grows the newest chunk in place and copies any other;
 *  - pfree of the newest chunk gives its bytes back, any other pfree is a
 *    no-op (the bytes come back at reset);
 *  - blocks after the first grow from 64 KiB to 8 MiB, requests over 8 KiB
 *    get a block of their own, and reset frees every block but the first
 *    (AllocSet's ALLOCSET_DEFAULT_SIZES behaviour, so peak and steady memory
 *    stay what they were);
 *  - out of memory returns NULL, which palloc turns into PostgreSQL's
 *    "out of memory" error.
 *  - Under AddressSanitizer, the bytes no chunk owns are poisoned, so a read
 *    past a node's end is reported (AllocSet's blocks hide such reads).
 *
 * Thread safety: a context belongs to the thread that uses it, as every
 * PostgreSQL memory context does. */
#ifndef PGSIEVE_SRC_PARSE_ARENA_H_
#define PGSIEVE_SRC_PARSE_ARENA_H_

#ifdef __cplusplus
extern "C" {
#endif

struct MemoryContextData;

/* A new empty context under `parent` (NULL: a top-level context), or NULL if
 * malloc fails. `name` must outlive the context (a string literal). Freed by
 * MemoryContextDelete, or with `parent` when that is deleted. */
struct MemoryContextData* pgsieve_parse_arena_create(struct MemoryContextData* parent, const char* name);

#ifdef __cplusplus
}
#endif

#endif /* PGSIEVE_SRC_PARSE_ARENA_H_ */
