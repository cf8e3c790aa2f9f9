#!/usr/bin/env python3
"""Builds the fuzz seeds from the test data (run once; the results are committed).

  fuzz/make_seeds.py RAW_DIR

writes, deterministically:
  RAW_DIR/<target>/*            raw seeds, to be minimized into fuzz/corpus/<target>/
                                with libFuzzer's -merge=1 (fuzz/README.md);
  fuzz/regressions/<target>/bypass-*   one named seed per bypass class of
                                tests/cases/bypass.test (kept whole, never minimized).

Sources: tests/data/*.sql (PostgreSQL regression statements, AI-written
statements, what the grammar rejects, the README samples) chosen for variety
(every top-level statement label, sizes from short to long), every golden case
of tests/cases/*.test, and their policies for the policy fuzzer.
"""

import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SQL = 4096   # check/conformance fuzzers ignore longer inputs
SEPARATOR = '\n\x1e\n'


def records(path):
    with open(os.path.join(ROOT, path), encoding='utf-8') as f:
        text = f.read()
    if SEPARATOR in text:
        return text.split(SEPARATOR)[:-1]
    return [s.strip() for s in re.split(r'\n\s*\n', text) if s.strip() and not s.startswith('--')]


def golden_cases():
    """(file, section, name, sql bytes, policy text) for every case of tests/cases/*.test."""
    cases = []
    folder = os.path.join(ROOT, 'tests', 'cases')
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.test'):
            continue
        section_title = ''
        current = None
        block, lines = None, []

        def close():
            nonlocal block, lines
            if current is not None and block is not None:
                while lines and (not lines[-1].strip() or lines[-1].startswith('#')):
                    lines.pop()
                current[block] = '\n'.join(lines).encode('utf-8')
            block, lines = None, []

        with open(os.path.join(folder, name), encoding='utf-8') as f:
            for raw in f.read().split('\n'):
                line = raw[:-1] if raw.endswith('\r') else raw
                m = re.match(r'^# =+ (.*)$', line)
                if m and block is None:
                    section_title = m.group(1).strip()
                if not line.startswith('::: '):
                    if block is not None:
                        lines.append(line)
                    continue
                close()
                key, _, value = line[4:].partition(' ')
                value = value.strip()
                if key == 'case':
                    current = {'file': name, 'section': section_title, 'name': value}
                    cases.append(current)
                elif key in ('sql', 'policy', 'rewritten'):
                    block = key
                elif key == 'sql-hex':
                    current['sql'] = bytes.fromhex(''.join(value.split()))
                elif key == 'sql-build':
                    prefix, middle, suffix, n = value.split('|')
                    current['sql'] = (prefix + middle * int(n) + suffix).encode('utf-8')
            close()
    return [c for c in cases if 'sql' in c]


def slug(text):
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode('utf-8'))


def diverse_statements(rng):
    """A few hundred statements: every label of the regression set, sizes spread."""
    chosen = []
    stmts = records('tests/data/regress_all.sql')
    labels = {}
    with open(os.path.join(ROOT, 'tests/data/regress_all.labels.tsv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            index, label, _ = line.rstrip('\n').split('\t')
            labels.setdefault(label, []).append(int(index))
    for label in sorted(labels):
        ids = sorted(labels[label], key=lambda i: len(stmts[i]))
        picks = {ids[0], ids[len(ids) // 2], ids[-1]} if label != 'select' else set(rng.sample(ids, 150))
        chosen += [stmts[i] for i in sorted(picks)]
    t2s = records('tests/data/text2sql.sql')
    t2s.sort(key=len)
    chosen += [t2s[i] for i in range(0, len(t2s), len(t2s) // 100)]
    chosen += rng.sample(records('tests/data/regress_rejected.sql'), 40)
    chosen += rng.sample(records('tests/data/text2sql_rejected.sql'), 30)
    chosen += records('tests/data/samples.sql')
    return [s.encode('utf-8') for s in chosen if len(s.encode('utf-8')) <= MAX_SQL]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    raw = sys.argv[1]
    rng = random.Random(4)
    cases = golden_cases()
    statements = diverse_statements(rng) + [c['sql'] for c in cases if len(c['sql']) <= MAX_SQL]

    for target in ('check_fuzzer', 'conformance_fuzzer'):
        for i, sql in enumerate(statements):
            write(os.path.join(raw, target), f'seed-{i:05d}.sql', sql)

    # JSON Lines: a few requests per file, ids of every JSON type, bad lines.
    lines = []
    ids = [1, 'a', None, 2.5, [1, 2], {'k': 'v'}, True, -7]
    for i, sql in enumerate(statements[::3]):
        try:
            text = sql.decode('utf-8')
        except UnicodeDecodeError:
            continue
        request = {'id': ids[i % len(ids)], 'sql': text} if i % 5 else {'sql': text}
        lines.append(json.dumps(request, ensure_ascii=bool(i % 2)))
    lines += ['', 'not json', '[1,2]', '{"id": 1}', '{"sql": 5}', '{"id":1,"sql":"select 1"}\r',
              '{"sql":"select \\u0000"}', '{"id":' + '[' * 200 + ']' * 200 + ',"sql":"select 1"}']
    for i in range(0, len(lines), 4):
        write(os.path.join(raw, 'jsonl_fuzzer'), f'seed-{i // 4:05d}.jsonl', '\n'.join(lines[i:i + 4]) + '\n')

    # Policies: the embedded default, every golden case's policy, edge values.
    policies = sorted({c['policy'] for c in cases if c.get('policy')})
    policies += [
        b'',
        b'max_rows = 0\nmax_depth = 1\n',
        b'max_rows = 9007199254740992\nmax_depth = 10000\nmax_statement_bytes = 1073741824\n',
        b'search_path = ["public", "app", "pg_catalog"]\n[relations]\nallow = ["public\\\\..*", "app\\\\.orders"]\n'
        b'deny = ["public\\\\.secret.*"]\nallow_system_catalogs = true\n',
        b'[functions]\nallow = ["pg_sleep", "app.safe_fn", "pg_catalog.lower"]\ndeny = ["lower", "pg_catalog.upper"]\n',
        b'explain = false\nshow = true\nexplain_analyze = true\nstandard_conforming_strings = true\n'
        b'max_generated_rows = 0\nmax_string_bytes = 0\n',
        b'max_rows = -1\n', b'max_depth = 10001\n', b'unknown = 1\n', b'[relations]\nallow = ["("]\n',
        b'search_path = []\n', b'[functions]\nallow = [".x"]\n', b'max_rows = "10"\n', b'[relations\n',
    ]
    with open(os.path.join(ROOT, 'src', 'policy.cc'), encoding='utf-8') as f:
        m = re.search(r'kDefaultPolicyToml = R"\((.*?)\)";', f.read(), re.S)
    policies.append(m.group(1).encode('utf-8'))
    for i, p in enumerate(policies):
        write(os.path.join(raw, 'policy_fuzzer'), f'seed-{i:05d}.toml', p)

    # The structure-aware target reads decisions, not text: random bytes of
    # varied lengths start it; its campaigns grow the real corpus.
    for i in range(300):
        write(os.path.join(raw, 'rewrite_fuzzer'), f'seed-{i:05d}', rng.randbytes(rng.choice([8, 32, 64, 128, 256, 512])))

    # One named seed per bypass class (the first case of each section of
    # bypass.test that fits the input bound), kept whole in regressions/.
    seen = set()
    for c in cases:
        if c['file'] != 'bypass.test' or c['section'] in seen or len(c['sql']) > MAX_SQL:
            continue
        seen.add(c['section'])
        name = f'bypass-{slug(c["section"])}--{c["name"]}.sql'
        for target in ('check_fuzzer', 'conformance_fuzzer'):
            write(os.path.join(ROOT, 'fuzz', 'regressions', target), name, c['sql'])
        try:
            line = json.dumps({'id': c['name'], 'sql': c['sql'].decode('utf-8')})
            write(os.path.join(ROOT, 'fuzz', 'regressions', 'jsonl_fuzzer'), name[:-4] + '.jsonl', line + '\n')
        except UnicodeDecodeError:
            pass
    print(f'{len(statements)} statements, {len(lines)} JSON lines, {len(policies)} policies, '
          f'{len(seen)} bypass classes', file=sys.stderr)


if __name__ == '__main__':
    main()
