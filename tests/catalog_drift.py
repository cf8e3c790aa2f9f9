#!/usr/bin/env python3
"""Drift checks for the committed, generated files of grammar/.

  catalog_drift.py classified BUILT COMMITTED
      the build's classification (from grammar/catalog + the reviewed lists)
      must equal the committed grammar/functions.classified: a change to the
      lists or the catalog must be reviewed as a diff of that file.
  catalog_drift.py catalog SOURCE_DIR
      a fresh dump of PostgreSQL 15's catalog (grammar/tools/gen_catalog.py,
      which starts its own throwaway server) must equal grammar/catalog/*.tsv.
      The first header line names the server's exact version and may differ
      between Debian point releases; that alone is reported, not failed.

Exit 0 when equal, 1 with a unified diff otherwise, 77 (skip) when
PostgreSQL 15 is not installed for the catalog check.
"""
import difflib
import os
import subprocess
import sys
import tempfile


def diff(a_path, b_path, skip_first=False):
    a = open(a_path, encoding='utf-8').read().splitlines()
    b = open(b_path, encoding='utf-8').read().splitlines()
    if skip_first:
        if a[:1] != b[:1]:
            print(f'note: {os.path.basename(a_path)}: server version line differs:\n  {a[:1]}\n  {b[:1]}')
        a, b = a[1:], b[1:]
    lines = list(difflib.unified_diff(b, a, fromfile=f'committed {b_path}', tofile=f'generated {a_path}',
                                      lineterm='', n=1))
    for line in lines[:200]:
        print(line)
    return not lines


def main():
    mode = sys.argv[1]
    if mode == 'classified':
        built, committed = sys.argv[2], sys.argv[3]
        if diff(built, committed):
            print('functions.classified matches the build')
            return 0
        print('\ngrammar/functions.classified is stale: copy the build\'s functions.classified over it and review the diff')
        return 1
    src = sys.argv[2]
    if not os.path.exists('/usr/lib/postgresql/15/bin/postgres'):
        print('PostgreSQL 15 not installed: skipped')
        return 77
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, os.path.join(src, 'grammar', 'tools', 'gen_catalog.py'), out], check=True)
        ok = True
        for name in ('functions.tsv', 'operators.tsv', 'types.tsv'):
            ok = diff(os.path.join(out, name), os.path.join(src, 'grammar', 'catalog', name), skip_first=True) and ok
    print('catalog matches a fresh dump' if ok else '\ngrammar/catalog is stale: run grammar/tools/gen_catalog.py')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
