#!/usr/bin/python3
"""pglast's read-only check, the way a JSON-based validator is usually written:
parse with pglast (libpg_query's JSON output, PostgreSQL 15 grammar), then
walk the JSON and allow exactly one SELECT (or EXPLAIN without ANALYZE of
one) with no nested statement of another kind (data-modifying CTEs), no
SELECT INTO, no FOR UPDATE/SHARE, and no call to a function on pgsieve's
grammar/functions.deny. A deny-list is less work than pgsieve's allow-list
walk, so this flatters the peer in the speed comparison.

    readonly_check.py DENY_FILE FILE [FILE...]   one JSON line per file

Run with Debian's /usr/bin/python3 (python3-pglast).
"""
import json
import sys
import time

from pglast import parser


def read_records(path):
    with open(path, "rb") as f:
        data = f.read()
    return [r.decode("utf-8", "surrogateescape") for r in data.split(b"\n\x1e\n")[:-1]]


def read_deny(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                names.add(line[0])
    return names


class Rejected(Exception):
    pass


def make_check(deny):
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("Stmt") and key != "SelectStmt":
                    raise Rejected(key)
                if key == "SelectStmt":
                    if value.get("intoClause") or value.get("lockingClause"):
                        raise Rejected("into/locking")
                elif key == "FuncCall":
                    names = value.get("funcname", [])
                    if names and names[-1].get("String", {}).get("sval") in deny:
                        raise Rejected("function")
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    def check(sql):
        try:
            tree = json.loads(parser.parse_sql_json(sql))
        except parser.ParseError:
            return False
        stmts = tree.get("stmts", [])
        if len(stmts) != 1:
            return False
        stmt = stmts[0].get("stmt", {})
        try:
            if "ExplainStmt" in stmt:
                explain = stmt["ExplainStmt"]
                for opt in explain.get("options", []):
                    d = opt.get("DefElem", {})
                    if d.get("defname") == "analyze":
                        arg = d.get("arg")
                        if arg is None or json.dumps(arg).lower().find("false") < 0:
                            return False
                walk(explain.get("query", {}))
                return "SelectStmt" in explain.get("query", {})
            if "SelectStmt" not in stmt:
                return False
            walk(stmt)
        except Rejected:
            return False
        return True

    return check


def main():
    check = make_check(read_deny(sys.argv[1]))
    for path in sys.argv[2:]:
        texts = read_records(path)
        allowed = [i for i, sql in enumerate(texts) if check(sql)]
        best = 0.0
        for _ in range(3):
            t0 = time.process_time()  # CPU time of the process: load from elsewhere does not count
            for sql in texts:
                check(sql)
            best = max(best, len(texts) / (time.process_time() - t0))
        print(json.dumps({"peer": "pglast", "file": path, "statements": len(texts), "allowed": len(allowed),
                          "allowed_indices": allowed, "check_per_s": round(best)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
