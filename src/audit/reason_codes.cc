#include "audit/reason_codes.h"

#include <algorithm>

namespace pgsieve::audit {

const std::vector<std::string_view>& KnownReasonCodes() {
  static const std::vector<std::string_view> codes = {
      "ambiguous-string-literal",
      "bad-request",
      "call-statement",
      "comment-statement",
      "copy-statement",
      "create-table-as",
      "cursor-statement",
      "data-modifying-cte",
      "ddl-statement",
      "deallocate-statement",
      "default-privileges-statement",
      "delete-statement",
      "do-statement",
      "empty-statement",
      "execute-statement",
      "explain-analyze",
      "explain-statement",
      "fingerprint-not-allowed",
      "function-not-allowed",
      "grant-statement",
      "import-foreign-schema-statement",
      "insert-statement",
      "internal-error",
      "invalid-encoding",
      "listen-statement",
      "load-statement",
      "lock-statement",
      "locking-clause",
      "maintenance-statement",
      "merge-statement",
      "multiple-statements",
      "node-not-allowed",
      "notify-statement",
      "operator-not-allowed",
      "parse-error",
      "prepare-statement",
      "refresh-statement",
      "relation-not-allowed",
      "resource-limit",
      "revoke-statement",
      "security-label-statement",
      "select-into",
      "set-statement",
      "show-statement",
      "statement-not-allowed",
      "too-deep",
      "too-large",
      "transaction-statement",
      "truncate-statement",
      "type-not-allowed",
      "unlisten-statement",
      "update-statement",
  };
  return codes;
}

bool IsKnownReasonCode(std::string_view code) {
  const auto& codes = KnownReasonCodes();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace pgsieve::audit
