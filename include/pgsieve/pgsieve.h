/* pgsieve C API: for callers in other languages (Python ctypes, Go cgo, ...).
 *
 *   char* err = NULL;
 *   pgsieve_firewall* fw = pgsieve_firewall_new(NULL, &err);   // default policy
 *   char* verdict = pgsieve_check_json(fw, sql, strlen(sql));
 *   // verdict: the JSON object documented in README ("verdict", "sql", ...)
 *   pgsieve_free(verdict);
 *   pgsieve_firewall_free(fw);
 *
 * Every returned string is allocated with malloc and released with
 * pgsieve_free. A firewall is immutable: pgsieve_check_json may be called from
 * many threads at once on the same firewall. No function aborts or throws on
 * bad input. A check uses about 130 bytes of the caller's stack per level of
 * the parse tree (max_depth 1000, the default: about 130 KiB); see
 * firewall.h for the per-thread parser context.
 */
#ifndef PGSIEVE_PGSIEVE_H_
#define PGSIEVE_PGSIEVE_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pgsieve_firewall pgsieve_firewall;

/* Builds a firewall from a TOML policy (NULL or "" for the embedded default).
 * On failure returns NULL and, if `error` is not NULL, stores a message there
 * (free it with pgsieve_free). */
pgsieve_firewall* pgsieve_firewall_new(const char* policy_toml, char** error);

void pgsieve_firewall_free(pgsieve_firewall* firewall);

/* Checks `len` bytes of `sql` (need not be NUL-terminated; NUL bytes inside
 * are rejected). Returns the verdict as a JSON object, or NULL only when
 * memory runs out. */
char* pgsieve_check_json(const pgsieve_firewall* firewall, const char* sql, size_t len);

/* The embedded default policy (TOML). */
char* pgsieve_default_policy(void);

void pgsieve_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* PGSIEVE_PGSIEVE_H_ */
