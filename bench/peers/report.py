#!/usr/bin/env python3
"""Turns run_peers.sh's JSON lines into the peer table (markdown)."""
import collections
import json
import os
import sys

PEERS = ["pglast", "libpg-query-wasm", "node-sql-parser"]
TARGETS = {"pglast": 6.0, "libpg-query-wasm": 8.0}  # issue 5: pgsieve >= 6x pglast, >= 8x the WASM parser


def main():
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    labels = open(sys.argv[2], encoding="utf-8").read().split()
    by = {(r["peer"], os.path.basename(r["file"])): r for r in rows}
    sets = ["text2sql.sql", "regress_select.sql"]

    print("## Throughput: checks per CPU-second, one thread, best of 3-5 passes (pgsieve / peer in brackets)\n")
    print("| set | stmts | bare parse/s (libpg_query) | pgsieve check/s | " + " | ".join(f"{p} check/s" for p in PEERS) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(PEERS))
    ratios = collections.defaultdict(list)
    for s in sets:
        me = by[("pgsieve", s)]
        cells = []
        for p in PEERS:
            r = by.get((p, s))
            if r is None:
                cells.append("n/a")
                continue
            ratio = me["check_per_s"] / r["check_per_s"]
            ratios[p].append((s, ratio))
            cells.append(f"{r['check_per_s']:,} ({ratio:.1f}x)")
        print(f"| {s} | {me['statements']:,} | {me['parse_per_s']:,} | {me['check_per_s']:,} | " + " | ".join(cells) + " |")

    print("\n## Statements allowed (of each set), and non-read statements let through\n")
    print("| | pgsieve | " + " | ".join(PEERS) + " |")
    print("|---|---:|" + "---:|" * len(PEERS))
    for s in sets:
        n = by[("pgsieve", s)]["statements"]
        cells = [f"{by[(p, s)]['allowed']:,} ({by[(p, s)]['allowed'] / n:.1%})" for p in ["pgsieve"] + PEERS]
        print(f"| {s}: allowed of {n:,} | " + " | ".join(cells) + " |")
    nonread = "nonread.sql"
    n = by[("pgsieve", nonread)]["statements"]
    through = {}
    for p in ["pgsieve"] + PEERS:
        idx = by[(p, nonread)]["allowed_indices"]
        through[p] = collections.Counter(labels[i] for i in idx)
    cells = [f"{sum(through[p].values()):,}" for p in ["pgsieve"] + PEERS]
    print(f"| regress_all non-read (label != select, {n:,}): let through | " + " | ".join(cells) + " |")
    cells = [f"{through[p]['explain_stmt']:,}" for p in ["pgsieve"] + PEERS]
    print("| ... of which EXPLAIN (explain_stmt: a read when it explains a SELECT without ANALYZE) | " + " | ".join(cells) + " |")
    cells = [f"{sum(v for k, v in through[p].items() if k != 'explain_stmt'):,}" for p in ["pgsieve"] + PEERS]
    print("| ... other labels (writes, DDL, SET, locking, SELECT INTO, ...) | " + " | ".join(cells) + " |")
    print()
    for p in ["pgsieve"] + PEERS:
        top = ", ".join(f"{k} {v}" for k, v in through[p].most_common(8) if k != "explain_stmt")
        print(f"- {p} lets through (besides EXPLAIN): {top or 'nothing'}")

    print("\n## Targets\n")
    for p, minimum in TARGETS.items():
        rs = ratios.get(p, [])
        ok = bool(rs) and all(r >= minimum for _, r in rs)
        detail = ", ".join(f"{s.removesuffix('.sql')} {r:.1f}x" for s, r in rs)
        print(f"- [{'HOLDS' if ok else 'FAILS'}] pgsieve >= {minimum:.0f}x {p}: {detail}")


if __name__ == "__main__":
    main()
