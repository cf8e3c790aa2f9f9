// The main() of a fuzz target built without a fuzzing engine (the default,
// -Dfuzzing_engine=none): runs every file named on the command line, or found
// in a directory named there, through LLVMFuzzerTestOneInput once. meson test
// runs each target over its committed corpus and regression seeds this way, so
// every input a campaign kept is a regression test in the ordinary suite.
//
//   build/fuzz/check_fuzzer fuzz/corpus/check_fuzzer fuzz/regressions/check_fuzzer
//
// A broken invariant aborts (the test fails and the report names the input);
// a path that does not exist, or no input at all, fails too, so a renamed
// folder cannot turn the test into a silent pass.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

std::vector<std::filesystem::path> Inputs(const std::filesystem::path& arg) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_directory(arg)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
      if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
  } else if (std::filesystem::is_regular_file(arg)) {
    out.push_back(arg);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...  (replays each input once)\n", argv[0]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  size_t total = 0;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;  // libFuzzer flags (e.g. -runs=0) are ignored
    const auto inputs = Inputs(argv[i]);
    if (inputs.empty() && !std::filesystem::is_directory(argv[i])) {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
    for (const auto& path : inputs) {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::fprintf(stderr, "%s\n", path.c_str());  // names the input if it crashes
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++total;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("replayed %zu inputs in %.2f s\n", total, seconds);
  return total > 0 ? 0 : 1;
}
