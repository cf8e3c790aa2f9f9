// The machine contract: a Verdict as one JSON object (what `pgsieve check
// --jsonl` prints per line and the C API returns).
//
//   {"id": <as given>, "verdict": "allow"|"reject", "sql": "<to execute>",
//    "max_rows": N, "rewritten": bool,
//    "violations": [{"code", "message", "offset", "line", "column", "fragment"}]}
//
// "sql" and "max_rows" are present only when allowed. Keys are never removed
// or renamed; new keys may be added.
#ifndef PGSIEVE_SRC_VERDICT_JSON_H_
#define PGSIEVE_SRC_VERDICT_JSON_H_

#include <nlohmann/json.hpp>

#include <string>

#include "pgsieve/verdict.h"

namespace pgsieve {

nlohmann::json VerdictToJson(const Verdict& verdict, const nlohmann::json* id = nullptr);

// One JSON Lines request ({"id": ..., "sql": "..."}) to one response line
// (without the newline). A line that is not such an object gets a reject with
// code bad-request; it never throws.
std::string CheckJsonLine(const class Firewall& firewall, std::string_view line);

}  // namespace pgsieve

#endif  // PGSIEVE_SRC_VERDICT_JSON_H_
