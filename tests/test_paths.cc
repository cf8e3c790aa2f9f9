#include <fstream>
#include <iterator>
#include <vector>

#include "test_paths.h"

namespace pgsieve::testing {

std::vector<std::string> ReadRecords(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string sep = "\n\x1e\n";
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t end = all.find(sep, pos);
    if (end == std::string::npos) break;
    out.push_back(all.substr(pos, end - pos));
    pos = end + sep.size();
  }
  return out;
}

}  // namespace pgsieve::testing
