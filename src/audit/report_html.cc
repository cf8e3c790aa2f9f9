#include "audit/report_html.h"

namespace pgsieve::audit {
namespace {

constexpr const char* kHead = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pgsieve audit report</title>
<style>
:root { --fg:#1d2430; --muted:#5d6778; --line:#d9dee7; --bg:#ffffff; --panel:#f6f8fb;
        --reject:#c62828; --allow:#2e7d32; --total:#b8c2d3; --cap:#ef8f00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 28px 8px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { font-size: 16px; margin: 0 0 10px; }
main { padding: 16px 28px 40px; max-width: 1200px; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 20px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card .n { font-size: 24px; font-weight: 600; }
.card.reject .n { color: var(--reject); }
.card.allow .n { color: var(--allow); }
.card.cap .n { color: var(--cap); }
section { margin: 0 0 26px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
@media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
.chart svg { width: 100%; height: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.chart text { font-size: 11px; fill: var(--muted); }
.chart text.label { fill: var(--fg); }
rect.bar { fill: var(--reject); }
rect.bar-total { fill: var(--total); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .sql { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.sql { white-space: pre-wrap; word-break: break-word; }
.code { display: inline-block; background: #fdecea; color: var(--reject); border-radius: 4px; padding: 0 6px; margin: 1px 2px; font-size: 12px; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
</style>
</head>
<body>
<header>
<h1>pgsieve audit report</h1>
<div id="subtitle" class="muted"></div>
<noscript><p>This report draws its charts and tables with an inline script; the data is in the page source (script#report-data).</p></noscript>
</header>
<main>
<div class="cards" id="cards"></div>
<section>
<h2 id="time-title">Rejections over time</h2>
<div class="legend muted"><span style="background:var(--total)"></span>statements<span style="background:var(--reject)"></span><b id="legend-rejected">rejected</b></div>
<div id="chart-time" class="chart"></div>
</section>
<section class="two">
<div><h2 id="reason-title">Rejections by reason</h2><div id="chart-reason" class="chart"></div></div>
<div><h2 id="user-title">Rejections by user</h2><div id="chart-user" class="chart"></div></div>
</section>
<section><h2 id="top-title">Top rejected statements</h2><table id="top-rejected"></table></section>
<section><h2>Top capped statements <span class="muted">(the LIMIT policy would add or lower their row cap)</span></h2><table id="top-capped"></table></section>
<section class="two">
<div><h2>By application</h2><table id="by-application"></table></div>
<div><h2>By database</h2><table id="by-database"></table></div>
</section>
<section><h2>Inputs</h2><table id="inputs"></table></section>
<section id="malformed-section"><h2>Malformed records</h2><table id="malformed"></table></section>
</main>
<script type="application/json" id="report-data">)HTML";

constexpr const char* kTail = R"HTML(</script>
<script>
(function () {
  "use strict";
  var R = JSON.parse(document.getElementById("report-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var detect = R.policy.mode === "detect";
  var rejectedWord = detect ? "would-reject" : "rejected";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(n) { return Number(n).toLocaleString("en-US"); }
  function byId(id) { return document.getElementById(id); }

  // One table: header cells and rows of cells (string, or {text, cls, node}).
  function table(id, head, rows, empty) {
    var t = byId(id);
    var tr = el("tr");
    head.forEach(function (h) { tr.appendChild(el("th", h.num ? {"class": "num"} : {}, h.text)); });
    t.appendChild(tr);
    if (!rows.length) {
      var r = el("tr");
      r.appendChild(el("td", {colspan: String(head.length), "class": "muted"}, empty || "none"));
      t.appendChild(r);
      return;
    }
    rows.forEach(function (cells) {
      var r = el("tr");
      cells.forEach(function (c, i) {
        var td = el("td", head[i].num ? {"class": "num"} : {});
        if (c && c.node) td.appendChild(c.node); else td.textContent = String(c);
        r.appendChild(td);
      });
      t.appendChild(r);
    });
  }

  function message(box, text) {
    var s = svg("svg", {viewBox: "0 0 600 60", role: "img", "aria-label": text});
    s.appendChild(svg("text", {x: 12, y: 34}, text));
    box.appendChild(s);
  }

  // Vertical bars over time: statements (grey) behind rejections (red).
  function timeChart() {
    var box = byId("chart-time");
    var b = R.timeline.buckets;
    if (!b.length) { message(box, "No timestamps in these inputs (plain SQL, JSON Lines or pg_stat_statements)."); return; }
    var W = 900, H = 240, L = 56, Rm = 12, T = 12, B = 40;
    var max = 1;
    b.forEach(function (x) { max = Math.max(max, x.statements); });
    var s = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "statements and " + rejectedWord + " over time"});
    var pw = W - L - Rm, ph = H - T - B, step = pw / b.length, bw = Math.min(48, Math.max(1, step * 0.8));
    s.appendChild(svg("line", {x1: L, y1: T + ph, x2: W - Rm, y2: T + ph, stroke: "#9aa5b8"}));
    s.appendChild(svg("text", {x: L - 6, y: T + 10, "text-anchor": "end"}, num(max)));
    s.appendChild(svg("text", {x: L - 6, y: T + ph, "text-anchor": "end"}, "0"));
    b.forEach(function (x, i) {
      var xPos = L + i * step + (step - bw) / 2;
      var ht = ph * x.statements / max, hr = ph * x.rejected / max;
      var total = svg("rect", {"class": "bar-total", x: xPos.toFixed(2), y: (T + ph - ht).toFixed(2), width: bw.toFixed(2), height: ht.toFixed(2)});
      total.appendChild(svg("title", {}, x.start + ": " + num(x.statements) + " statements"));
      s.appendChild(total);
      var rej = svg("rect", {"class": "bar", "data-value": String(x.rejected), x: xPos.toFixed(2), y: (T + ph - hr).toFixed(2), width: bw.toFixed(2), height: hr.toFixed(2)});
      rej.appendChild(svg("title", {}, x.start + ": " + num(x.rejected) + " " + rejectedWord));
      s.appendChild(rej);
    });
    s.appendChild(svg("text", {x: L, y: H - 14}, utc(b[0].start).replace(".000 UTC", " UTC")));
    s.appendChild(svg("text", {x: W - Rm, y: H - 14, "text-anchor": "end"}, utc(b[b.length - 1].start).replace(".000 UTC", " UTC")));
    s.appendChild(svg("text", {x: (L + W - Rm) / 2, y: H - 14, "text-anchor": "middle"}, "one bar = " + (R.timeline.bucket_seconds >= 3600 ? (R.timeline.bucket_seconds / 3600) + " h" : (R.timeline.bucket_seconds / 60) + " min")));
    box.appendChild(s);
  }

  // Horizontal bars, one row per item: value (red) over total (grey) if given.
  function rowChart(id, rows, label, value, total, empty) {
    var box = byId(id);
    if (!rows.length) { message(box, empty); return; }
    var W = 520, rowH = 26, L = 190, Rm = 70, T = 8;
    var H = T * 2 + rows.length * rowH;
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, total ? total(r) : value(r)); });
    var s = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": id});
    var pw = W - L - Rm;
    rows.forEach(function (r, i) {
      var y = T + i * rowH;
      var name = label(r);
      s.appendChild(svg("text", {"class": "label", x: L - 8, y: y + 17, "text-anchor": "end"}, name.length > 28 ? name.slice(0, 27) + "\u2026" : name));
      if (total) {
        var t = svg("rect", {"class": "bar-total", x: L, y: y + 4, width: (pw * total(r) / max).toFixed(2), height: rowH - 8});
        t.appendChild(svg("title", {}, name + ": " + num(total(r)) + " statements"));
        s.appendChild(t);
      }
      var w = pw * value(r) / max;
      var bar = svg("rect", {"class": "bar", "data-value": String(value(r)), x: L, y: y + 4, width: w.toFixed(2), height: rowH - 8});
      bar.appendChild(svg("title", {}, name + ": " + num(value(r)) + " " + rejectedWord));
      s.appendChild(bar);
      s.appendChild(svg("text", {x: L + (total ? pw * total(r) / max : w) + 6, y: y + 17}, num(value(r)) + (total ? " / " + num(total(r)) : "")));
    });
    box.appendChild(s);
  }

  function codes(list) {
    var span = el("span");
    list.forEach(function (c) { span.appendChild(el("span", {"class": "code"}, c)); });
    return {node: span};
  }
  function sql(text) { return {node: el("div", {"class": "sql"}, text)}; }
  function where(w) { return w.file + ":" + w.line; }
  function utc(iso) { return iso.replace("T", " ").replace(/Z$/, " UTC"); }

  var t = R.totals;
  var flagged = t.rejected + t.would_reject;
  byId("subtitle").textContent = "policy " + R.policy.source + " \u00b7 mode " + R.policy.mode +
      (R.time_range.first_seen_utc ? " \u00b7 " + utc(R.time_range.first_seen_utc) + " \u2192 " + utc(R.time_range.last_seen_utc) : "") +
      " \u00b7 " + R.inputs.length + (R.inputs.length === 1 ? " input" : " inputs");
  [["statements", t.statements, ""], ["allowed", t.allowed, "allow"], [rejectedWord, flagged, "reject"],
   ["capped (max_rows " + R.policy.max_rows + ")", t.capped, "cap"], ["malformed records", R.malformed.count, ""]]
    .forEach(function (c) {
      var d = el("div", {"class": "card " + c[2]});
      d.appendChild(el("div", {"class": "n"}, num(c[1])));
      d.appendChild(el("div", {"class": "muted"}, c[0]));
      byId("cards").appendChild(d);
    });
  if (detect) {
    byId("time-title").textContent = "Would-reject over time (detect mode)";
    byId("reason-title").textContent = "Would-reject by reason";
    byId("user-title").textContent = "Would-reject by user";
    byId("top-title").textContent = "Top would-reject statements";
    byId("legend-rejected").textContent = "would-reject";
  }

  timeChart();
  rowChart("chart-reason", R.by_reason.slice(0, 15), function (r) { return r.code; },
           function (r) { return r.statements; }, null, "No rejections.");
  rowChart("chart-user", R.by_user.filter(function (u) { return u.rejected > 0; }).slice(0, 15),
           function (r) { return r.name; }, function (r) { return r.rejected; }, function (r) { return r.statements; },
           "No rejections.");

  table("top-rejected", [{text: "statements", num: true}, {text: "reason"}, {text: "example (normalized)"}, {text: "fingerprint"}, {text: "first seen"}],
        R.top_rejected.map(function (s) { return [num(s.statements), codes(s.codes), sql(s.example), s.fingerprint || "(does not parse)", where(s.first_seen_at)]; }),
        "No rejected statements.");
  table("top-capped", [{text: "statements", num: true}, {text: "example (normalized)"}, {text: "fingerprint"}, {text: "first seen"}],
        R.top_capped.map(function (s) { return [num(s.statements), sql(s.example), s.fingerprint || "", where(s.first_seen_at)]; }),
        "No capped statements.");
  [["by-application", R.by_application], ["by-database", R.by_database]].forEach(function (g) {
    table(g[0], [{text: "name"}, {text: "statements", num: true}, {text: rejectedWord, num: true}, {text: "capped", num: true}],
          g[1].map(function (x) { return [x.name, num(x.statements), num(x.rejected), num(x.capped)]; }));
  });
  table("inputs", [{text: "file"}, {text: "format"}, {text: "bytes", num: true}, {text: "statements", num: true}, {text: "malformed", num: true}],
        R.inputs.map(function (i) { return [i.path, i.error ? "not read: " + i.error : i.format + (i.compressed ? " (gzip)" : ""), num(i.bytes), num(i.statements), num(i.malformed)]; }));
  if (!R.malformed.count) byId("malformed-section").style.display = "none";
  table("malformed", [{text: "where"}, {text: "why"}],
        R.malformed.examples.map(function (m) { return [m.file + ":" + m.line, m.reason]; }));
  document.body.setAttribute("data-rendered", "true");
})();
</script>
</body>
</html>
)HTML";

}  // namespace

std::string JsonForScript(const nlohmann::ordered_json& report) {
  const std::string json = report.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size() + 64);
  for (char c : json) {
    // Outside strings JSON has none of these, so escaping them is always valid.
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderHtmlReport(const nlohmann::ordered_json& report) {
  return std::string(kHead) + JsonForScript(report) + kTail;
}

}  // namespace pgsieve::audit
