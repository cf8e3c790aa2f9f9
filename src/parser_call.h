/* One call of PostgreSQL's raw parser in a per-thread memory context that is
 * reset, not recreated, between statements (see parser_call.c for why this
 * is C and declares libpg_query's thread-local state itself).
 *
 *   struct PgsieveParserCall call;
 *   pgsieve_parser_call(sql, &call);      // sql: NUL-terminated
 *   ... read call.tree (List of RawStmt) or call.error (ErrorData) ...
 *   pgsieve_parser_release(&call);        // frees the tree and the error
 *
 * Calls may nest on one thread (the inner one gets a context of its own) and
 * run on any number of threads at once. Do not call pg_query_exit() on a
 * thread between a call and its release. */
#ifndef PGSIEVE_SRC_PARSER_CALL_H_
#define PGSIEVE_SRC_PARSER_CALL_H_

#ifdef __cplusplus
extern "C" {
#endif

struct List;
struct ErrorData;
struct MemoryContextData;

struct PgsieveParserCall {
  struct List* tree;        /* NULL on error or for empty input */
  struct ErrorData* error;  /* NULL unless the parser raised an error */
  /* private */
  struct MemoryContextData* context;
  struct MemoryContextData* previous;
  int owns_context;
};

void pgsieve_parser_call(const char* sql, struct PgsieveParserCall* call);
void pgsieve_parser_release(struct PgsieveParserCall* call);

#ifdef __cplusplus
}
#endif

#endif /* PGSIEVE_SRC_PARSER_CALL_H_ */
