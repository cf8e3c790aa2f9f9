"""Classifies every function and operator of grammar/catalog/ (PostgreSQL 15's
catalog, dumped by tools/gen_catalog.py) into allowed or denied, one reason each.

Functions are decided per (scope, name): scope "core" is pg_catalog, any other
scope is an extension pack the policy can switch on (`extensions = [...]`).
pgsieve sees names, not argument types, so a name is decided for all its
overloads in that scope at once. In order:

  1. functions.deny lists the name       -> denied, with the file's category and reason
  2. functions.allow lists the name      -> allowed: reviewed (the file's reason)
  3. every overload is a procedure or
     returns a trigger                   -> denied (not callable in a SELECT)
  4. every overload is immutable         -> allowed: PostgreSQL guarantees an
                                            immutable function computes only on its
                                            arguments
  5. anything else (stable or volatile,
     not reviewed)                       -> denied, category "unreviewed"

An operator (per scope and name) is allowed when every overload's implementing
function is allowed.
"""

import collections

UNREVIEWED = 'unreviewed'
DENY_CATEGORIES = {
    'runs-sql', 'server-files', 'large-objects', 'sleep', 'backend-control',
    'advisory-locks', 'notifications', 'settings', 'wal-replication',
    'stats-reset', 'xid', 'sequences', 'leaves-session', 'information-leak',
    'side-effect', UNREVIEWED,
}

# A row (t in t.name) can be passed to a first argument of these types.
ROW_ACCEPTING = {'record', '"any"', 'anyelement', 'anycompatible', 'anynonarray',
                 'anycompatiblenonarray'}

Function = collections.namedtuple(
    'Function', 'schema name args result kind volatility parallel retset nargs ndefaults '
                'variadic arg_types first_arg_typtype aggkind extension')
Operator = collections.namedtuple('Operator', 'schema name left right result function_schema function extension')
Decision = collections.namedtuple('Decision', 'scope name allowed category reason')


def _rows(path, width):
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if len(cols) != width:
                raise SystemExit(f'{path}: expected {width} columns, got {len(cols)}: {line!r}')
            yield cols


def read_functions(path):
    out = []
    for c in _rows(path, 15):
        out.append(Function(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7] == 't', int(c[8]),
                            int(c[9]), c[10], c[11], c[12], c[13], c[14]))
    return out


def read_operators(path):
    return [Operator(*c) for c in _rows(path, 8)]


def scope_of(extension):
    return 'core' if extension in ('-', 'plpgsql') else extension


def callable_with_one_argument(f):
    # A lone argument of type internal cannot be written in SQL (no value
    # has that type: the TABLESAMPLE and index access-method handlers).
    if f.nargs == 1 and f.variadic == '-' and f.arg_types == 'internal':
        return False
    return (f.nargs - f.ndefaults <= 1 <= f.nargs) or f.variadic != '-'


def takes_a_row(f):
    if not callable_with_one_argument(f):
        return False
    first = f.variadic if f.nargs == 0 else (f.arg_types.split(',')[0] if f.arg_types else '')
    return first in ROW_ACCEPTING or f.variadic == '"any"' or f.first_arg_typtype == 'c'


def classify(functions, allow, deny):
    """allow: {name: reason}; deny: {name: (category, reason)} -> {(scope, name): Decision}."""
    by_key = collections.defaultdict(list)
    for f in functions:
        by_key[(scope_of(f.extension), f.name)].append(f)
    decisions = {}
    for (scope, name), overloads in sorted(by_key.items()):
        if name in deny:
            category, reason = deny[name]
            decisions[(scope, name)] = Decision(scope, name, False, category, reason)
        elif name in allow:
            decisions[(scope, name)] = Decision(scope, name, True, 'reviewed', allow[name])
        elif all(f.kind == 'p' or f.result == 'trigger' for f in overloads):
            decisions[(scope, name)] = Decision(
                scope, name, False, 'side-effect', 'is a procedure or trigger function, not callable in a query')
        elif all(f.volatility == 'i' for f in overloads):
            decisions[(scope, name)] = Decision(
                scope, name, True, 'immutable',
                f'immutable in all {len(overloads)} overload(s): computes only on its arguments')
        else:
            kinds = sorted({ {'s': 'stable', 'v': 'volatile', 'i': 'immutable'}[f.volatility] for f in overloads})
            decisions[(scope, name)] = Decision(
                scope, name, False, UNREVIEWED,
                f'is {"/".join(kinds)} and has not been reviewed as free of side effects')
    return decisions


def classify_operators(operators, decisions):
    """-> {(scope, name): (allowed, reason)}"""
    by_key = collections.defaultdict(list)
    for o in operators:
        by_key[(scope_of(o.extension), o.name)].append(o)
    out = {}
    for key, overloads in sorted(by_key.items()):
        blocked = []
        for o in overloads:
            d = decisions.get(('core', o.function)) or decisions.get((key[0], o.function))
            if d is None or not d.allowed:
                blocked.append(o.function)
        if blocked:
            out[key] = (False, 'implemented by ' + ', '.join(sorted(set(blocked))) + ', which is not allowed')
        else:
            out[key] = (True, f'every overload ({len(overloads)}) is implemented by an allowed function')
    return out


def render(decisions, operator_decisions, version_line):
    lines = ['# Generated by grammar/gen_tables.py (grammar/classify.py) from grammar/catalog/,',
             '# functions.allow and functions.deny. Do not edit; see grammar/README.md.',
             version_line.rstrip('\n'),
             '# scope\tname\tdecision\tcategory\treason']
    for d in decisions.values():
        lines.append(f'{d.scope}\t{d.name}\t{"allow" if d.allowed else "deny"}\t{d.category}\t{d.reason}')
    lines.append('# operators: scope\tOPERATOR name\tdecision\t-\treason')
    for (scope, name), (allowed, reason) in operator_decisions.items():
        lines.append(f'{scope}\tOPERATOR {name}\t{"allow" if allowed else "deny"}\t-\t{reason}')
    return '\n'.join(lines) + '\n'
