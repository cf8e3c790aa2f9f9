#!/usr/bin/env python3
"""Self-check for grammar/functions.allow and grammar/functions.deny.

Verifies:
  * every entry line parses per the documented format
    allow: <name> <reason...>
    deny:  <name> <category> <reason...>
    ('#' starts a comment, whole-line or trailing; blank lines ignored;
     name = lowercase proname characters [a-z0-9_]);
  * reasons are non-empty; deny categories are from the fixed set;
  * no duplicate names within a list; no name on both lists;
  * every allow-list name exists in grammar/pg_catalog_functions.txt
    (so a typo cannot silently allow nothing).

Usage: check_function_lists.py [GRAMMAR_DIR]   (default: the directory
above this script).  Exits 0 when everything is fine, 1 otherwise, printing
one line per problem as  <file>:<line>: <message>.
"""
import os
import re
import sys

CATEGORIES = {
    "runs-sql", "server-files", "large-objects", "sleep", "backend-control",
    "advisory-locks", "notifications", "settings", "wal-replication",
    "stats-reset", "xid", "sequences", "leaves-session", "information-leak",
    "side-effect",
}

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def strip_comment(line):
    i = line.find("#")
    return line if i < 0 else line[:i]


def read_entries(path, errors):
    """Yield (lineno, fields, raw) for each non-blank, non-comment line."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        errors.append("%s: cannot read: %s" % (path, e))
        return
    for n, raw in enumerate(lines, 1):
        if "\t" in raw:
            errors.append("%s:%d: tab character (use spaces)" % (path, n))
        body = strip_comment(raw).strip()
        if body:
            yield n, body, raw


def parse_allow(path, errors):
    names = {}
    for n, body, _ in read_entries(path, errors):
        parts = body.split(None, 1)
        name = parts[0]
        if not NAME_RE.match(name):
            errors.append("%s:%d: bad function name %r (must be a lowercase proname)" % (path, n, name))
            continue
        if len(parts) < 2 or not parts[1].strip():
            errors.append("%s:%d: %s: missing reason" % (path, n, name))
            continue
        if name in names:
            errors.append("%s:%d: %s: duplicate (first at line %d)" % (path, n, name, names[name]))
            continue
        names[name] = n
    return names


def parse_deny(path, errors):
    names = {}
    for n, body, _ in read_entries(path, errors):
        parts = body.split(None, 2)
        name = parts[0]
        if not NAME_RE.match(name):
            errors.append("%s:%d: bad function name %r (must be a lowercase proname)" % (path, n, name))
            continue
        if len(parts) < 2:
            errors.append("%s:%d: %s: missing category and reason" % (path, n, name))
            continue
        if parts[1] not in CATEGORIES:
            errors.append("%s:%d: %s: unknown category %r (one of: %s)"
                          % (path, n, name, parts[1], ", ".join(sorted(CATEGORIES))))
            continue
        if len(parts) < 3 or not parts[2].strip():
            errors.append("%s:%d: %s: missing reason" % (path, n, name))
            continue
        reason = parts[2].strip()
        if reason.endswith((".", ";")):
            errors.append("%s:%d: %s: reason must not end with punctuation "
                          "(it is followed by '; not allowed')" % (path, n, name))
            continue
        if name in names:
            errors.append("%s:%d: %s: duplicate (first at line %d)" % (path, n, name, names[name]))
            continue
        names[name] = n
    return names


def parse_catalog(path, errors):
    names = set()
    try:
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                parts = line.split()
                if len(parts) != 2 or parts[1] not in ("a1", "-"):
                    errors.append("%s:%d: malformed catalog line %r" % (path, n, line))
                    continue
                names.add(parts[0])
    except OSError as e:
        errors.append("%s: cannot read: %s (run tools/dump_catalog_functions.sh)" % (path, e))
    return names


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    gdir = argv[1] if len(argv) > 1 else os.path.dirname(here)
    allow_p = os.path.join(gdir, "functions.allow")
    deny_p = os.path.join(gdir, "functions.deny")
    cat_p = os.path.join(gdir, "pg_catalog_functions.txt")

    errors = []
    allow = parse_allow(allow_p, errors)
    deny = parse_deny(deny_p, errors)
    catalog = parse_catalog(cat_p, errors)

    for name in sorted(set(allow) & set(deny)):
        errors.append("%s:%d: %s: also on the deny list (%s:%d)"
                      % (allow_p, allow[name], name, deny_p, deny[name]))
    if catalog:
        for name in sorted(allow):
            if name not in catalog:
                errors.append("%s:%d: %s: not a PostgreSQL pg_catalog function (typo?)"
                              % (allow_p, allow[name], name))

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print("check_function_lists: %d problem(s)" % len(errors), file=sys.stderr)
        return 1
    print("check_function_lists: ok (%d allowed, %d denied, %d catalog names)"
          % (len(allow), len(deny), len(catalog)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
