#include "golden_case.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pgsieve::testing {
namespace {

constexpr std::string_view kDirective = "::: ";

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string Unhex(const std::string& hex, bool* ok) {
  std::string out;
  std::string digits;
  for (char c : hex) {
    if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
  }
  if (digits.size() % 2 != 0) {
    *ok = false;
    return out;
  }
  for (size_t i = 0; i < digits.size(); i += 2) {
    unsigned v = 0;
    std::istringstream in(digits.substr(i, 2));
    if (!(in >> std::hex >> v)) {
      *ok = false;
      return out;
    }
    out.push_back(static_cast<char>(v));
  }
  return out;
}

// Trailing blank lines and '#' comment lines after the last content line of a
// multi-line section belong to the file's layout, not to the section.
std::string CloseSection(std::vector<std::string>& lines) {
  while (!lines.empty() && (Trim(lines.back()).empty() || lines.back().rfind('#', 0) == 0)) lines.pop_back();
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  lines.clear();
  return out;
}

// `fingerprint_file = "name"` with a relative name: made absolute against `dir`.
std::string ResolveFingerprintFile(const std::string& policy, const std::string& dir) {
  std::istringstream in(policy);
  std::string line, out;
  bool first = true;
  while (std::getline(in, line)) {
    const std::string t = Trim(line);
    const size_t quote = t.find('"');
    if (t.rfind("fingerprint_file", 0) == 0 && quote != std::string::npos && quote + 1 < t.size() &&
        t[quote + 1] != '/' && t.find('=') < quote) {
      line = t.substr(0, quote + 1) + dir + "/" + t.substr(quote + 1);
    }
    out += (first ? "" : "\n") + line;
    first = false;
  }
  return out;
}

}  // namespace

std::vector<GoldenCase> ReadGoldenCases(const std::string& path) {
  std::vector<GoldenCase> cases;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  int lineno = 0;
  // Index, not pointer: push_back may move the cases.
  size_t current_index = std::string::npos;
  std::string section;  // open multi-line section: "sql", "rewritten", "policy"
  std::vector<std::string> lines;
  auto malformed = [&](const std::string& why) {
    GoldenCase c;
    c.file = path;
    c.line = lineno;
    c.name = "MALFORMED: " + why;
    cases.push_back(c);
    current_index = cases.size() - 1;
  };
  auto close = [&]() {
    if (section.empty() || current_index == std::string::npos) {
      section.clear();
      lines.clear();
      return;
    }
    std::string text = CloseSection(lines);
    GoldenCase* current = &cases[current_index];
    if (section == "sql") current->sql = text;
    if (section == "rewritten") current->rewritten = text;
    if (section == "policy") {
      const size_t slash = path.rfind('/');
      current->policy = ResolveFingerprintFile(text, slash == std::string::npos ? "." : path.substr(0, slash));
    }
    section.clear();
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(kDirective, 0) != 0) {
      if (!section.empty()) lines.push_back(line);
      continue;  // comments and blank lines between directives
    }
    close();
    const std::string rest = line.substr(kDirective.size());
    const size_t space = rest.find(' ');
    const std::string key = rest.substr(0, space);
    const std::string value = space == std::string::npos ? "" : Trim(rest.substr(space + 1));
    if (key == "case") {
      cases.push_back(GoldenCase{});
      current_index = cases.size() - 1;
      cases.back().file = path;
      cases.back().line = lineno;
      cases.back().name = value;
      continue;
    }
    if (current_index == std::string::npos) {
      malformed("directive before the first case: " + key);
      continue;
    }
    GoldenCase* current = &cases[current_index];
    if (key == "sql" || key == "rewritten" || key == "policy") {
      section = key;
    } else if (key == "verdict") {
      current->verdict = value;
    } else if (key == "codes") {
      std::istringstream parts(value);
      std::string code;
      while (std::getline(parts, code, ',')) {
        code = Trim(code);
        if (!code.empty()) current->codes.insert(code);
      }
    } else if (key == "cap") {
      current->cap = std::stoll(value);
    } else if (key == "offset") {
      current->offset = std::stoi(value);
    } else if (key == "effect") {
      current->effect = value;
    } else if (key == "would-reject") {
      current->would_reject = true;
    } else if (key == "fingerprint") {
      current->fingerprint = value;
    } else if (key == "message-contains") {
      current->message_contains = value;
    } else if (key == "sql-hex") {
      bool ok = true;
      current->sql = Unhex(value, &ok);
      if (!ok) malformed("bad hex in " + current->name);
    } else if (key == "sql-build") {
      // prefix|middle|suffix|N  ->  prefix + middle * N + suffix
      std::vector<std::string> f;
      std::string part;
      std::istringstream parts(value);
      while (std::getline(parts, part, '|')) f.push_back(part);
      if (f.size() != 4) {
        malformed("sql-build needs prefix|middle|suffix|N in " + current->name);
        continue;
      }
      std::string sql = f[0];
      const long n = std::stol(f[3]);
      for (long i = 0; i < n; ++i) sql += f[1];
      current->sql = sql + f[2];
    } else {
      malformed("unknown directive " + key);
    }
  }
  close();
  return cases;
}

std::vector<GoldenCase> ReadGoldenCaseDir(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<GoldenCase> all;
  for (const std::string& f : files) {
    auto cases = ReadGoldenCases(f);
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

}  // namespace pgsieve::testing
