/* The bare parser, the baseline every pgsieve figure is divided by: one call
 * of pg_query_raw_parse inside libpg_query's memory context, exactly as
 * src/raw_parse.cc does it (enter context, parse, free the error and the
 * stderr buffer, exit context, which frees the whole tree). Nothing else.
 *
 * Written in C so PostgreSQL's headers (which redefine printf & co.) stay out
 * of the C++ benchmark. */
#include "postgres.h"
#include <pg_query.h>
#include <pg_query/pg_query_internal.h>
#include <stdlib.h>

#include "bare_parse.h"

int pgsieve_bench_bare_parse(const char* sql) {
  MemoryContext ctx = pg_query_enter_memory_context();
  PgQueryInternalParsetreeAndError r = pg_query_raw_parse(sql);
  int ok = r.error == NULL;
  /* Read the result as the check does (the statement count), so the parse
   * cannot be optimised away. */
  int statements = r.tree != NULL ? list_length(r.tree) : 0;
  if (r.error != NULL) pg_query_free_error(r.error);
  free(r.stderr_buffer);
  pg_query_exit_memory_context(ctx);
  return ok ? statements : -1;
}
