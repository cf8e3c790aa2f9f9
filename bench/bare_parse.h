/* See bare_parse.c. */
#ifndef PGSIEVE_BENCH_BARE_PARSE_H_
#define PGSIEVE_BENCH_BARE_PARSE_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Parses NUL-terminated `sql` with pg_query_raw_parse inside a fresh memory
 * context; returns the number of statements, or -1 on a parse error. */
int pgsieve_bench_bare_parse(const char* sql);

#ifdef __cplusplus
}
#endif

#endif
