#!/usr/bin/env python3
"""Where a check's extra instructions go: the self cost (instructions) of each
function in a check profile minus the same function in the bare-parse profile
of the same texts, per statement (callgrind files from bench/profile.sh).

The parser's own functions cancel out (same texts, same parser); what remains
is pgsieve's walk, lookups, copies and allocations, plus any second parse the
rewrite path runs.

    cg_diff.py PARSE.out CHECK.out STATEMENTS [TOP]
"""
import re
import subprocess
import sys

LINE = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+(.*?)(?:\s+\[[^\]]*\])?$")


def self_costs(path):
    out = subprocess.run(
        ["callgrind_annotate", "--threshold=100", "--inclusive=no", "--auto=no", path],
        check=True, capture_output=True, text=True).stdout
    costs, started = {}, False
    for line in out.splitlines():
        if "file:function" in line:
            started = True
            continue
        if not started:
            continue
        m = LINE.match(line)
        if not m:
            continue
        name = m.group(2)
        name = name.split(":", 1)[1] if ":" in name else name  # drop the file part
        name = re.sub(r"'\d+$", "", name)                       # recursion levels are one function
        costs[name] = costs.get(name, 0) + int(m.group(1).replace(",", ""))
    return costs


def short(name):
    name = re.sub(r"std::basic_string_view<char, std::char_traits<char> >", "string_view", name)
    name = re.sub(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >", "string", name)
    name = name.replace("pgsieve::internal::", "")
    return name if len(name) <= 110 else name[:107] + "..."


def main():
    parse, check, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    p, c = self_costs(parse), self_costs(check)
    total_p, total_c = sum(p.values()), sum(c.values())
    print(f"per statement: parse {total_p / n:,.0f} Ir, check {total_c / n:,.0f} Ir, "
          f"extra {(total_c - total_p) / n:,.0f} Ir ({(total_c - total_p) / total_c:.1%} of the check)")
    rows = sorted(((c.get(k, 0) - p.get(k, 0), k) for k in set(p) | set(c)), reverse=True)
    print("| extra Ir/stmt | function (check self cost - parse self cost) |")
    print("|---:|---|")
    for diff, name in rows[:top]:
        print(f"| {diff / n:,.0f} | {short(name)} |")


if __name__ == "__main__":
    main()
