#include "audit/report_text.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace pgsieve::audit {
namespace {

std::string Num(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, " (%.1f%%)", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string Str(const nlohmann::ordered_json& j) { return j.is_string() ? j.get<std::string>() : ""; }

// "2024-05-24T10:00:01.010Z" as "2024-05-24 10:00:01.010 UTC".
std::string UtcText(std::string iso) {
  if (iso.size() > 10 && iso[10] == 'T') iso[10] = ' ';
  if (!iso.empty() && iso.back() == 'Z') iso.replace(iso.size() - 1, 1, " UTC");
  return iso;
}

void Groups(const nlohmann::ordered_json& rows, const char* title, const char* rejected_word, std::ostream& out) {
  if (rows.empty()) return;
  size_t width = 8;
  for (const auto& g : rows) width = std::max(width, Str(g["name"]).size() + 2);
  width = std::min<size_t>(width, 40);
  out << "\n" << title << "\n  " << Pad("", width) << PadLeft("statements", 12) << PadLeft(rejected_word, 14)
      << PadLeft("capped", 10) << "\n";
  for (const auto& g : rows) {
    out << "  " << Pad(Str(g["name"]), width) << PadLeft(Num(g["statements"]), 12)
        << PadLeft(Num(g["rejected"]), 14) << PadLeft(Num(g["capped"]), 10) << "\n";
  }
}

void Shapes(const nlohmann::ordered_json& rows, const std::string& title, bool with_codes, std::ostream& out) {
  if (rows.empty()) return;
  out << "\n" << title << "\n";
  for (const auto& s : rows) {
    out << "  " << PadLeft(Num(s["statements"]) + "x", 9) << "  "
        << (s["fingerprint"].is_string() ? Str(s["fingerprint"]) : std::string("(does not parse)"));
    if (with_codes) {
      std::string codes;
      for (const auto& c : s["codes"]) codes += (codes.empty() ? "" : ", ") + Str(c);
      out << "  " << codes;
    }
    out << "\n             " << Str(s["example"]) << "\n             first seen: " << Str(s["first_seen_at"]["file"])
        << ":" << s["first_seen_at"]["line"].get<uint64_t>() << "\n";
  }
}

}  // namespace

void WriteTextSummary(const nlohmann::ordered_json& r, std::ostream& out) {
  const nlohmann::ordered_json& t = r["totals"];
  const bool detect = r["policy"]["mode"] == "detect";
  const char* rejected_word = detect ? "would-reject" : "rejected";
  const uint64_t statements = t["statements"], records = t["records"];
  const uint64_t flagged = t["rejected"].get<uint64_t>() + t["would_reject"].get<uint64_t>();
  out << "pgsieve audit: " << Num(statements) << " statements";
  if (records != statements) out << " (" << Num(records) << " records)";
  out << " from " << r["inputs"].size() << (r["inputs"].size() == 1 ? " input" : " inputs") << "; policy "
      << Str(r["policy"]["source"]) << ", mode " << Str(r["policy"]["mode"]) << "\n";
  if (r["time_range"]["first_seen_utc"].is_string()) {
    out << "  seen from " << UtcText(Str(r["time_range"]["first_seen_utc"])) << " to "
        << UtcText(Str(r["time_range"]["last_seen_utc"])) << "\n";
  }
  out << "  " << Pad("allowed", 14) << PadLeft(Num(t["allowed"]), 12) << Percent(t["allowed"], statements) << "\n";
  out << "  " << Pad(rejected_word, 14) << PadLeft(Num(flagged), 12) << Percent(flagged, statements) << "\n";
  out << "  " << Pad("capped", 14) << PadLeft(Num(t["capped"]), 12) << Percent(t["capped"], statements)
      << "  allowed, with the row cap (max_rows " << r["policy"]["max_rows"].get<int64_t>()
      << ") added or lowered\n";
  const uint64_t malformed = r["malformed"]["count"];
  out << "  " << Pad("malformed", 14) << PadLeft(Num(malformed), 12) << "  input records that could not be read\n";

  if (!r["by_reason"].empty()) {
    out << "\n" << (detect ? "Would-reject by reason" : "Rejections by reason") << "\n";
    size_t width = 8;
    for (const auto& x : r["by_reason"]) width = std::max(width, Str(x["code"]).size() + 2);
    for (const auto& x : r["by_reason"]) {
      out << "  " << Pad(Str(x["code"]), width) << PadLeft(Num(x["statements"]), 10) << "\n";
    }
  }
  Groups(r["by_user"], "By user", rejected_word, out);
  Groups(r["by_application"], "By application", rejected_word, out);
  Groups(r["by_database"], "By database", rejected_word, out);
  Shapes(r["top_rejected"], std::string("Top ") + rejected_word + " statements (by fingerprint; literals " +
                                (r["show_literals"].get<bool>() ? "shown" : "as $n or ?") + ")",
         true, out);
  Shapes(r["top_capped"], "Top capped statements (the LIMIT policy would add or lower their row cap)", false, out);

  out << "\nInputs\n";
  for (const auto& in : r["inputs"]) {
    out << "  " << Str(in["path"]);
    if (in.contains("error")) {
      out << ": NOT READ: " << Str(in["error"]) << "\n";
      continue;
    }
    out << "  " << Str(in["format"]) << (in["compressed"].get<bool>() ? " (gzip)" : "") << ", "
        << Num(in["bytes"]) << " bytes, " << Num(in["statements"]) << " statements, " << Num(in["malformed"])
        << " malformed\n";
  }
  if (malformed > 0) {
    out << "\nMalformed records";
    if (r["malformed"]["examples"].size() < malformed) out << " (the first " << r["malformed"]["examples"].size() << ")";
    out << "\n";
    for (const auto& m : r["malformed"]["examples"]) {
      out << "  " << Str(m["file"]) << ":" << m["line"].get<uint64_t>() << ": " << Str(m["reason"]) << "\n";
    }
  }
}

}  // namespace pgsieve::audit
