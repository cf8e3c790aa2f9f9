// The audit report as one self-contained HTML file: the JSON report embedded
// as data, inline CSS, and an inline script that draws the charts as SVG
// (rejections over time, by reason, by user) and fills the tables, with
// textContent only, so nothing from a log is ever read as markup. A
// Content-Security-Policy of default-src 'none' means the page cannot load
// anything over the network when it is viewed.
//
// Thread safety: pure function.
#ifndef PGSIEVE_SRC_AUDIT_REPORT_HTML_H_
#define PGSIEVE_SRC_AUDIT_REPORT_HTML_H_

#include <nlohmann/json.hpp>

#include <string>

namespace pgsieve::audit {

std::string RenderHtmlReport(const nlohmann::ordered_json& report);

// `report` as JSON that is safe inside <script type="application/json">:
// '<', '>' and '&' escaped as \u003c, \u003e, \u0026.
std::string JsonForScript(const nlohmann::ordered_json& report);

}  // namespace pgsieve::audit

#endif  // PGSIEVE_SRC_AUDIT_REPORT_HTML_H_
