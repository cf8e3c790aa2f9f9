/* PostgreSQL's raw parser, called the way pg_query_raw_parse calls it, minus
 * what is not the parser: pg_query_raw_parse zeroes a 4 KiB stderr buffer and
 * strdup()s it on every call, and pg_query_enter/exit_memory_context create
 * and delete a memory context around every parse. Together that is about a
 * thousand instructions per statement, 5-7% of parsing a short SELECT
 * (bench/README.md). Here each thread keeps one memory context, a bump
 * allocator (parse_arena.h), and resets it after each parse; the error is
 * caught with PG_TRY's own protocol.
 *
 * Why C, and why no PostgreSQL header: libpg_query keeps the backend's
 * globals per thread (__thread), while the server headers of
 * postgresql-server-dev-15 declare them as process globals, and Debian ships
 * none of libpg_query's own headers. The few declarations needed are written
 * below with their thread-local storage class; if libpg_query ever defined
 * one of them differently, linking fails ("TLS definition ... mismatches
 * non-TLS reference"), so a mismatch cannot go unnoticed. The function
 * signatures are PostgreSQL 15's; src/self_check.cc compares this path with
 * pg_query_raw_parse on a statement and on a syntax error at start-up. */
#include "parser_call.h"

#include "parse_arena.h"

#include <setjmp.h>
#include <stddef.h>

typedef struct MemoryContextData* MemoryContext;
struct ErrorContextCallback;

/* libpg_query's per-thread backend state (src/backend/utils/error/elog.c,
 * src/backend/utils/mmgr/mcxt.c in libpg_query 15-4.0.0). */
extern __thread sigjmp_buf* PG_exception_stack;
extern __thread struct ErrorContextCallback* error_context_stack;
extern __thread MemoryContext CurrentMemoryContext;
extern __thread MemoryContext TopMemoryContext;

/* PostgreSQL 15: parser/parser.h, utils/elog.h, utils/memutils.h. */
extern struct List* raw_parser(const char* str, int mode); /* RawParseMode; 0 = RAW_PARSE_DEFAULT */
extern struct ErrorData* CopyErrorData(void);
extern void FlushErrorState(void);
extern MemoryContext AllocSetContextCreateInternal(MemoryContext parent, const char* name, size_t min_context_size,
                                                   size_t init_block_size, size_t max_block_size);
extern void MemoryContextReset(MemoryContext context);
extern void MemoryContextDelete(MemoryContext context);
/* libpg_query: sets up this thread's TopMemoryContext and ErrorContext once. */
extern void pg_query_init(void);

enum {
  kRawParseDefault = 0,
  /* ALLOCSET_DEFAULT_SIZES, as pg_query_enter_memory_context uses. */
  kMinContextSize = 0,
  kInitBlockSize = 64 * 1024,
  kMaxBlockSize = 8 * 1024 * 1024
};

/* This thread's parse context and the TopMemoryContext it was made under
 * (libpg_query frees TopMemoryContext with everything below it at thread
 * exit, or when pg_query_exit() is called; a different TopMemoryContext means
 * ours is gone). `busy` is set while a tree is alive, so a nested parse on the
 * same thread gets a context of its own. */
static __thread MemoryContext thread_context;
static __thread MemoryContext thread_context_top;
static __thread int thread_context_busy;

/* A bump context (parse_arena.h); should malloc fail, an AllocSet, whose
 * creation then raises PostgreSQL's own out-of-memory error. */
static MemoryContext NewContext(void) {
  MemoryContext context = pgsieve_parse_arena_create(TopMemoryContext, "pgsieve parse");
  if (context != NULL) return context;
  return AllocSetContextCreateInternal(TopMemoryContext, "pgsieve parse", kMinContextSize, kInitBlockSize,
                                       kMaxBlockSize);
}

void pgsieve_parser_call(const char* sql, struct PgsieveParserCall* call) {
  call->tree = NULL;
  call->error = NULL;
  call->owns_context = 0;
  if (!thread_context_busy && thread_context != NULL && thread_context_top == TopMemoryContext) {
    /* The usual case: this thread is set up (our context hangs from its
     * TopMemoryContext, so pg_query_init has run). */
    call->context = thread_context;
  } else {
    pg_query_init();
    if (!thread_context_busy) {
      thread_context = NewContext();
      thread_context_top = TopMemoryContext;
      call->context = thread_context;
    } else {
      call->context = NewContext();
      call->owns_context = 1;
    }
  }
  call->previous = CurrentMemoryContext;
  if (!call->owns_context) thread_context_busy = 1;
  CurrentMemoryContext = call->context;

  /* PG_TRY / PG_CATCH / PG_END_TRY of PostgreSQL 15 (utils/elog.h). */
  sigjmp_buf* volatile saved_exception_stack = PG_exception_stack;
  struct ErrorContextCallback* volatile saved_context_stack = error_context_stack;
  sigjmp_buf local_sigjmp_buf;
  if (sigsetjmp(local_sigjmp_buf, 0) == 0) {
    PG_exception_stack = &local_sigjmp_buf;
    call->tree = raw_parser(sql, kRawParseDefault);
  } else {
    /* As pg_query_raw_parse: copy the error into the parse context (freed
     * with it) and clear the error state. */
    CurrentMemoryContext = call->context;
    call->tree = NULL;
    call->error = CopyErrorData();
    FlushErrorState();
  }
  PG_exception_stack = saved_exception_stack;
  error_context_stack = saved_context_stack;
}

void pgsieve_parser_release(struct PgsieveParserCall* call) {
  CurrentMemoryContext = call->previous;
  if (call->owns_context) {
    MemoryContextDelete(call->context);
  } else {
    MemoryContextReset(call->context);
    thread_context_busy = 0;
  }
  call->context = NULL;
}
