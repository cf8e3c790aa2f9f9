// Where the tests find their data: the source tree (set by meson at build time).
#ifndef PGSIEVE_TESTS_TEST_PATHS_H_
#define PGSIEVE_TESTS_TEST_PATHS_H_

#include <string>
#include <vector>

namespace pgsieve::testing {

inline std::string SourcePath(const std::string& relative) { return std::string(PGSIEVE_SOURCE_DIR) + "/" + relative; }

// Statements of a corpus file: each record followed by "\n\x1e\n".
std::vector<std::string> ReadRecords(const std::string& path);

}  // namespace pgsieve::testing

#endif  // PGSIEVE_TESTS_TEST_PATHS_H_
