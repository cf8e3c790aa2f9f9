// CheckStatement: the whole verdict for one statement (what Firewall::Check
// runs), exposed with an optional NodeObserver for the conformance tests.
#ifndef PGSIEVE_SRC_CHECK_H_
#define PGSIEVE_SRC_CHECK_H_

#include <string_view>

#include "compiled_policy.h"
#include "pgsieve/verdict.h"
#include "tree_walker.h"

namespace pgsieve::internal {

Verdict CheckStatement(const CompiledPolicy& policy, std::string_view sql, NodeObserver* observer = nullptr);

// The same verdict, written into `out`, whose strings keep their storage
// (Firewall::Check(sql, &verdict)).
void CheckStatementInto(const CompiledPolicy& policy, std::string_view sql, Verdict& out,
                        NodeObserver* observer = nullptr);

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_CHECK_H_
