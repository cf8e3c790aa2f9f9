// Finding: a violation as the walker records it (code, message, byte offset);
// turned into a public Violation (with line, column and fragment) at the end.
#ifndef PGSIEVE_SRC_FINDING_H_
#define PGSIEVE_SRC_FINDING_H_

#include <string>
#include <string_view>
#include <vector>

namespace pgsieve::internal {

struct Finding {
  std::string_view code;  // points at a string literal or generated table entry
  std::string message;
  int offset = 0;
};

using Findings = std::vector<Finding>;

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_FINDING_H_
