// UncappedCandidates: the statements pgsieve could have capped into `sql`.
//
// Servers behind pgsieve log the statements pgsieve returned, with the row
// cap it added: "<statement> LIMIT n", "<statement>\nLIMIT n" or
// "SELECT * FROM (\n<statement>\n) AS pgsieve_capped LIMIT n". A fingerprint
// learned from such a line is the capped statement's, while
// fingerprints = "require" checks the statement an executor sends, before
// the cap. `pgsieve learn` therefore also records the fingerprint of the
// original when checking a candidate returns exactly the logged text.
//
// Thread safety: pure function.
#ifndef PGSIEVE_SRC_AUDIT_UNCAP_H_
#define PGSIEVE_SRC_AUDIT_UNCAP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgsieve::audit {

// The texts that pgsieve, with row cap `max_rows`, would turn into `sql` by
// appending or wrapping; empty when `sql` has neither form.
std::vector<std::string> UncappedCandidates(std::string_view sql, int64_t max_rows);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_UNCAP_H_
