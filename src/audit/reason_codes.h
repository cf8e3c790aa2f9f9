// The reason codes a verdict can carry (README.md, "Reason codes"), so that
// `pgsieve audit --fail-on CODE` refuses a typo instead of never failing.
// audit_test checks this list against grammar/nodes.deny and the README.
//
// Thread safety: constant data.
#ifndef PGSIEVE_SRC_AUDIT_REASON_CODES_H_
#define PGSIEVE_SRC_AUDIT_REASON_CODES_H_

#include <string_view>
#include <vector>

namespace pgsieve::audit {

const std::vector<std::string_view>& KnownReasonCodes();
bool IsKnownReasonCode(std::string_view code);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_REASON_CODES_H_
