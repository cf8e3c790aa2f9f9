#!/usr/bin/env python3
"""Turns the reviewable allow-list data in grammar/ into C++ tables.

The build runs this; nobody edits its output. Inputs:
  pg_query.proto            libpg_query's description of every parse-node kind
                            (field names, field types, json names = C field names)
  nodes.allow / nodes.deny  which node kinds the walker may enter / how the
                            others are named when rejected
  functions.allow / .deny   the function allow-list and the named deny-list
  catalog/*.tsv             PostgreSQL 15's functions, operators and types, with
                            the extension packs (tools/gen_catalog.py)

Outputs (one per --out-* flag):
  walk_tables.inc      per-kind child visitors, location readers, kind names,
                       rejection codes for denied kinds
  function_tables.inc  the classified functions and operators (classify.py)
  functions.classified the same classification as reviewable text
  proto_fields.inc     for the conformance test: which message fields hold a
                       typed child (counted by the field's type in the JSON)
  fuzz.dict            libFuzzer dictionary: keywords, function names, tokens

Every input is checked; any inconsistency fails the build with a message
naming the file and line, so a typo in a reviewed file cannot silently allow
or deny something.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import classify  # noqa: E402

FIELD_RE = re.compile(
    r'^\s*(repeated\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+([a-z_][a-z0-9_]*)\s*=\s*\d+'
    r'\s*(?:\[json_name="([A-Za-z_][A-Za-z0-9_]*)"\])?\s*;')

CODE_RE = re.compile(r'^[a-z][a-z0-9]*(-[a-z0-9]+)*$')
NAME_RE = re.compile(r'^[a-z_][a-z0-9_$]*$')

# Deny-listed contrib functions outside the catalog (grammar/catalog has no
# sslinfo, pageinspect, pgstattuple, pg_visibility, pg_buffercache,
# pg_freespacemap, pgrowlocks, pg_stat_statements or old_snapshot), with
# their PostgreSQL 15 signatures, so that attribute notation x.name is
# refused only where it can reach them. Names not listed here stay reachable
# both ways (fail closed).
# No overload callable with exactly one argument (none, or two or more required):
CONTRIB_NOT_ONE_ARGUMENT = {
    # sslinfo: ssl_is_used() ... ssl_extension_info(), no arguments
    'ssl_is_used', 'ssl_version', 'ssl_cipher', 'ssl_client_cert_present', 'ssl_client_serial',
    'ssl_client_dn', 'ssl_issuer_dn', 'ssl_extension_info',
    # pageinspect: two or more required arguments
    'get_raw_page', 'page_checksum', 'heap_page_item_attrs', 'heap_tuple_infomask_flags', 'tuple_data_split',
    'bt_page_stats', 'brin_page_items', 'gist_page_items', 'hash_bitmap_info',
    # pg_buffercache_pages(), pg_stat_statements_info(), pg_old_snapshot_time_mapping()
    'pg_buffercache_pages', 'pg_stat_statements_info', 'pg_old_snapshot_time_mapping',
}
# One argument of a base type (text, bytea, regclass, boolean): a table row
# does not convert to it implicitly, so t.name cannot call them.
CONTRIB_NO_ROW_ARGUMENT = {
    'ssl_client_dn_field', 'ssl_issuer_field',                     # (text)
    'page_header', 'heap_page_items', 'fsm_page_contents', 'bt_metap', 'bt_page_items',  # (bytea) / (text)
    'brin_page_type', 'brin_metapage_info', 'brin_revmap_data', 'gin_metapage_info', 'gin_page_opaque_info',
    'gin_leafpage_items', 'gist_page_opaque_info', 'gist_page_items_bytea', 'hash_page_type', 'hash_page_stats',
    'hash_page_items', 'hash_metapage_info',                         # (bytea)
    'pg_freespace', 'pg_visibility', 'pg_visibility_map', 'pg_visibility_map_summary', 'pg_check_frozen',
    'pg_check_visible', 'pg_relpages', 'pgstattuple', 'pgstattuple_approx', 'pgstatindex', 'pgstatginindex',
    'pgstathashindex',                                               # (regclass) / (text)
    'pgrowlocks', 'pg_stat_statements',                              # (text) / (boolean)
}


def fail(path, lineno, msg):
    sys.exit(f'{path}:{lineno}: error: {msg}')


def parse_proto(path):
    """Returns (node_kinds in Node-oneof order, {message: [(repeated, type, name, json)]})."""
    messages = {}
    node_kinds = []
    current = None
    depth = 0
    with open(path, encoding='utf-8') as f:
        for line in f:
            stripped = line.strip()
            if depth == 0:
                m = re.match(r'^message\s+(\w+)', stripped)
                if m:
                    current = m.group(1)
                    messages[current] = []
            before = depth
            depth += line.count('{') - line.count('}')
            if before > 0 and depth == 0:
                current = None  # the message's closing brace
                continue
            if current is None or depth == 0:
                continue
            fm = FIELD_RE.match(line)
            if not fm:
                continue
            repeated, ftype, fname, json = fm.groups()
            if current == 'Node':
                node_kinds.append(json or ftype)
                continue
            messages[current].append((bool(repeated), ftype, fname, json or fname))
    if not node_kinds:
        sys.exit(f'{path}: error: no Node oneof found')
    # A parser that silently reads no fields would generate visitors that
    # visit nothing: refuse to go on unless the proto looks whole.
    field_count = sum(len(f) for f in messages.values())
    if len(node_kinds) < 200 or field_count < 1000 or len(messages.get('SelectStmt', [])) < 15:
        sys.exit(f'{path}: error: read only {len(node_kinds)} node kinds and {field_count} fields; '
                 'the proto format changed?')
    return node_kinds, messages


def read_table(path, min_cols):
    """Yields (lineno, columns) for data lines; the last column takes the rest."""
    with open(path, encoding='utf-8') as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            cols = line.split(None, min_cols - 1)
            if len(cols) < min_cols:
                fail(path, lineno, f'expected {min_cols} columns, got {len(cols)}: {line!r}')
            yield lineno, cols


def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def gen_walk(args, node_kinds, messages):
    kinds = set(node_kinds)
    allowed = {}
    for lineno, (kind, reason) in read_table(args.nodes_allow, 2):
        if kind not in kinds:
            fail(args.nodes_allow, lineno, f'{kind} is not a node kind of pg_query.proto')
        if kind in allowed:
            fail(args.nodes_allow, lineno, f'{kind} listed twice')
        allowed[kind] = reason
    denied = {}
    for lineno, (kind, code, what) in read_table(args.nodes_deny, 3):
        if kind not in kinds:
            fail(args.nodes_deny, lineno, f'{kind} is not a node kind of pg_query.proto')
        if kind in allowed:
            fail(args.nodes_deny, lineno, f'{kind} is in nodes.allow too')
        if kind in denied:
            fail(args.nodes_deny, lineno, f'{kind} listed twice')
        if not CODE_RE.match(code):
            fail(args.nodes_deny, lineno, f'reason code {code!r} is not kebab-case')
        denied[kind] = (code, what)
    for kind in node_kinds:
        if kind.endswith('Stmt') and kind not in allowed and kind not in denied:
            sys.exit(f'{args.nodes_deny}: error: statement kind {kind} of pg_query.proto is '
                     'in neither nodes.allow nor nodes.deny')

    out = []
    w = out.append
    w('// Generated by grammar/gen_tables.py from pg_query.proto, grammar/nodes.allow')
    w('// and grammar/nodes.deny. Do not edit.')
    w('')
    w('// The name of every node kind libpg_query knows, for messages and tests.')
    w('inline const char* NodeKindName(NodeTag tag) {')
    w('  switch (tag) {')
    for kind in node_kinds:
        w(f'    case T_{kind}: return "{kind}";')
    w('    default: return nullptr;')
    w('  }')
    w('}')
    w('')
    w('// Per node tag: may the walker enter it, and where its location field is.')
    w('// One table load per node instead of switches (see tree_walker.cc).')
    w('struct KindInfo {')
    w('  bool allowed = false;')
    w('  bool leaf = false;  // allowed and without Node-typed fields: nothing below it')
    w('  int16_t location_offset = -1;  // byte offset of `int location`, or -1')
    w('};')
    w('inline constexpr int kMaxNodeTag = [] {')
    w('  int m = 0;')
    for k in node_kinds:
        w(f'  m = static_cast<int>(T_{k}) > m ? static_cast<int>(T_{k}) : m;')
    w('  return m;')
    w('}();')
    w('inline constexpr auto kKindInfo = [] {')
    w('  std::array<KindInfo, kMaxNodeTag + 1> a{};')
    for kind in allowed:
        has_loc = any(f[2] == 'location' and f[1] == 'int32' for f in messages.get(kind, []))
        off = f'static_cast<int16_t>(offsetof({kind}, location))' if has_loc else '-1'
        leaf = kind not in ('List', 'A_Const') and not any(
            (f[1] == 'Node' or f[1] in kinds) and f[3] != 'xpr' for f in messages.get(kind, []))
        w(f'  a[T_{kind}] = KindInfo{{true, {"true" if leaf else "false"}, {off}}};')
    w('  return a;')
    w('}();')
    w('')
    w('inline const KindInfo& KindInfoOf(NodeTag tag) {')
    w('  static constexpr KindInfo kNone{};')
    w('  const auto t = static_cast<unsigned>(tag);')
    w('  return t <= static_cast<unsigned>(kMaxNodeTag) ? kKindInfo[t] : kNone;')
    w('}')
    w('')
    w('inline bool IsAllowedKind(NodeTag tag) { return KindInfoOf(tag).allowed; }')
    w('')
    w('struct DeniedKind {')
    w('  std::string_view code;')
    w('  std::string_view what;')
    w('};')
    w('')
    w('// The reason for a kind that is never allowed; null for unnamed kinds.')
    w('inline const DeniedKind* DeniedKindInfo(NodeTag tag) {')
    w('  switch (tag) {')
    for kind, (code, what) in denied.items():
        w(f'    case T_{kind}: {{ static constexpr DeniedKind k{{{cstr(code)}, {cstr(what)}}}; return &k; }}')
    w('    default: return nullptr;')
    w('  }')
    w('}')
    w('')
    w('// Every reason code a denied kind can carry (for documentation and tests).')
    w('inline constexpr std::string_view kDeniedKindCodes[] = {')
    for code in sorted({c for c, _ in denied.values()}):
        w(f'    {cstr(code)},')
    w('};')
    w('')
    w('// Byte offset of an allowed node, or -1 where its kind has no location.')
    w('// REQUIRES: IsAllowedKind(nodeTag(node)).')
    w('inline int LocationOf(const Node* node) {')
    w('  const int16_t off = KindInfoOf(nodeTag(node)).location_offset;')
    w('  return off < 0 ? -1 : *reinterpret_cast<const int*>(reinterpret_cast<const char*>(node) + off);')
    w('}')
    w('')
    w('// Visits every Node-typed field of an allowed node, in pg_query.proto order:')
    w('// v.Child(const Node*) for a single child (may be null), v.Items(const List*)')
    w('// for a repeated field (may be NIL). A_Const is special: its value is an')
    w('// inline union, handed to v.InlineValue. Returns false for a kind that is')
    w('// not allowed, whose fields must not be read.')
    w('// A visitor may hook a kind: `v.Enter(const Kind*)` runs before the kind\'s')
    w('// children and returns a guard whose destructor runs after them (NoLeave')
    w('// when nothing is to be done after). Kinds without an Enter overload, and')
    w('// visitors without any, cost nothing: the test is at compile time.')
    w('struct NoLeave {};')
    w('template <typename Visitor, typename Kind>')
    w('[[gnu::always_inline]] inline auto EnterHook(Visitor& v, const Kind* n) {')
    w('  if constexpr (requires { v.Enter(n); }) {')
    w('    return v.Enter(n);')
    w('  } else {')
    w('    return NoLeave{};')
    w('  }')
    w('}')
    w('')
    w('// Always inlined: the walker then pays one call per node, not two.')
    w('template <typename Visitor>')
    w('[[gnu::always_inline]] inline bool VisitChildren(Visitor& v, const Node* node) {')
    w('  switch (nodeTag(node)) {')
    for kind in allowed:
        fields = messages.get(kind)
        if fields is None:
            sys.exit(f'pg_query.proto: error: no message for allowed kind {kind}')
        w(f'    case T_{kind}: {{')
        if kind == 'List':
            w('      v.Items(reinterpret_cast<const List*>(node));')
            w('      return true;')
            w('    }')
            continue
        if kind == 'A_Const':
            w('      const auto* n = reinterpret_cast<const A_Const*>(node);')
            w('      if (!n->isnull) v.InlineValue(&n->val.node);')
            w('      return true;')
            w('    }')
            continue
        body = [f'      [[maybe_unused]] auto hook = EnterHook(v, n);']
        for repeated, ftype, fname, json in fields:
            is_node = ftype == 'Node' or ftype in kinds
            if not is_node:
                continue
            if json == 'xpr':
                # Expr's embedded header (the node's own tag), not a child;
                # the static_assert below would catch it if that ever changed.
                continue
            if repeated and ftype != 'Node':
                sys.exit(f'pg_query.proto: error: {kind}.{fname}: repeated {ftype} is not handled')
            # static_assert: the server header must have this field as a pointer.
            body.append(f'      static_assert(std::is_pointer_v<decltype(n->{json})>, '
                        f'"{kind}.{json} must be a pointer in the server headers");')
            if repeated:
                body.append(f'      v.Items(reinterpret_cast<const List*>(n->{json}));')
            else:
                body.append(f'      v.Child(reinterpret_cast<const Node*>(n->{json}));')
        w(f'      [[maybe_unused]] const auto* n = reinterpret_cast<const {kind}*>(node);')
        out.extend(body)
        w('      return true;')
        w('    }')
    w('    default:')
    w('      return false;')
    w('  }')
    w('}')
    with open(args.out_walk, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    return allowed, denied


def gen_proto_fields(args, node_kinds, messages):
    kinds = set(node_kinds)
    out = ['// Generated by grammar/gen_tables.py from pg_query.proto. Do not edit.',
           '// {message, json field name, type} for every field that holds a typed',
           '// child node (not Node): the JSON output omits the type wrapper there.',
           'struct ProtoTypedField { const char* message; const char* field; const char* type; };',
           'inline constexpr ProtoTypedField kProtoTypedFields[] = {']
    for msg, fields in messages.items():
        if msg not in kinds:
            continue
        for repeated, ftype, fname, json in fields:
            if ftype != 'Node' and ftype in kinds:
                out.append(f'    {{{cstr(msg)}, {cstr(json)}, {cstr(ftype)}}},')
    # A_Const's inline value union (a oneof without json names).
    for repeated, ftype, fname, json in messages.get('A_Const', []):
        pass
    out.append('};')
    out.append('// Every node kind of the Node oneof (the JSON output wraps these).')
    out.append('inline constexpr const char* kAllNodeKinds[] = {')
    for kind in node_kinds:
        out.append(f'    {cstr(kind)},')
    out.append('};')
    out.append('// Kinds that carry an int32 location field.')
    out.append('inline constexpr const char* kKindsWithLocation[] = {')
    for msg, fields in messages.items():
        if msg in kinds and any(f[2] == 'location' and f[1] == 'int32' for f in fields):
            out.append(f'    {cstr(msg)},')
    out.append('};')
    with open(args.out_proto_fields, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


def gen_functions(args):
    catalog_dir = args.catalog
    functions = classify.read_functions(os.path.join(catalog_dir, 'functions.tsv'))
    operators = classify.read_operators(os.path.join(catalog_dir, 'operators.tsv'))
    types = [line.rstrip('\n').split('\t') for line in open(os.path.join(catalog_dir, 'types.tsv'), encoding='utf-8')
             if line.strip() and not line.startswith('#')]
    with open(os.path.join(catalog_dir, 'functions.tsv'), encoding='utf-8') as f:
        version_line = f.readline()
    names = {f.name for f in functions}

    allow = {}
    for lineno, (name, reason) in read_table(args.functions_allow, 2):
        if not NAME_RE.match(name):
            fail(args.functions_allow, lineno, f'{name!r} is not a lower-case function name')
        if name in allow:
            fail(args.functions_allow, lineno, f'{name} listed twice')
        if name not in names:
            fail(args.functions_allow, lineno, f'{name} is not a function of grammar/catalog/functions.tsv')
        allow[name] = reason
    deny = {}
    for lineno, (name, category, reason) in read_table(args.functions_deny, 3):
        if not NAME_RE.match(name):
            fail(args.functions_deny, lineno, f'{name!r} is not a lower-case function name')
        if category not in classify.DENY_CATEGORIES:
            fail(args.functions_deny, lineno, f'unknown category {category!r}')
        if name in deny:
            fail(args.functions_deny, lineno, f'{name} listed twice')
        if name in allow:
            fail(args.functions_deny, lineno, f'{name} is on functions.allow too')
        if reason.endswith(('.', ';')):
            fail(args.functions_deny, lineno, 'the reason is followed by "; not allowed": drop the final punctuation')
        deny[name] = (category, reason)

    decisions = classify.classify(functions, allow, deny)
    # Deny-list names PostgreSQL does not ship (dblink, adminpack, ...) keep
    # their precise message even though no catalog row names them.
    for name, (category, reason) in deny.items():
        if not any(k[1] == name for k in decisions):
            decisions[('core', name)] = classify.Decision('core', name, False, category, reason)
    decisions = dict(sorted(decisions.items(), key=lambda kv: (kv[0][1], kv[0][0] != 'core', kv[0][0])))
    operator_decisions = classify.classify_operators(operators, decisions)

    scopes = ['core'] + sorted({k[0] for k in decisions if k[0] != 'core'})
    if len(scopes) > 63:
        sys.exit('gen_tables.py: more than 63 extension packs')
    scope_index = {s: i for i, s in enumerate(scopes)}

    out = ['// Generated by grammar/gen_tables.py from grammar/catalog/, grammar/functions.allow',
           '// and grammar/functions.deny (classified by grammar/classify.py). Do not edit.',
           '',
           '// Scope 0 is pg_catalog; the others are extension packs (policy key `extensions`).',
           'inline constexpr std::string_view kScopes[] = {']
    out += [f'    {cstr(sc)},' for sc in scopes]
    out += ['};', '',
            'struct FunctionEntry {',
            '  std::string_view name;',
            '  int scope;',
            '  bool allowed;',
            '  std::string_view category;  // "reviewed", "immutable", or why it is denied',
            '  std::string_view reason;    // completes "<name> <reason>" when denied',
            '};',
            '// Sorted by name (then core first): binary search finds every scope of a name.',
            'inline constexpr FunctionEntry kFunctions[] = {']
    for d in decisions.values():
        out.append(f'    {{{cstr(d.name)}, {scope_index[d.scope]}, {"true" if d.allowed else "false"}, '
                   f'{cstr(d.category)}, {cstr(d.reason)}}},')
    out += ['};', '',
            '// Names some overload of which takes one argument: (expr).name can call them.',
            'inline constexpr std::string_view kOneArgumentFunctions[] = {']
    # Deny-list names outside the catalog (dblink, ...) count as reachable,
    # except the contrib functions whose signatures say otherwise (their
    # names are common column names: ssl_cipher, page_header, ...).
    deny_only = {n for n in deny if n not in names}
    stray = (CONTRIB_NOT_ONE_ARGUMENT | CONTRIB_NO_ROW_ARGUMENT) - deny_only
    if stray:
        fail(args.functions_deny, 0, 'CONTRIB_* signatures in gen_tables.py name functions not deny-listed here '
             f'outside the catalog: {", ".join(sorted(stray))}')
    out += [f'    {cstr(n)},' for n in sorted({f.name for f in functions if classify.callable_with_one_argument(f)} |
                                             (deny_only - CONTRIB_NOT_ONE_ARGUMENT))]
    out += ['};', '',
            '// ... and that argument can be a table row: t.name can call them.',
            'inline constexpr std::string_view kRowArgumentFunctions[] = {']
    out += [f'    {cstr(n)},' for n in sorted({f.name for f in functions if classify.takes_a_row(f)} |
                                             (deny_only - CONTRIB_NOT_ONE_ARGUMENT - CONTRIB_NO_ROW_ARGUMENT))]
    out += ['};', '',
            'struct OperatorEntry {',
            '  std::string_view name;',
            '  int scope;',
            '  bool allowed;',
            '  std::string_view reason;',
            '};',
            'inline constexpr OperatorEntry kOperators[] = {']
    for (scope, name), (allowed, reason) in sorted(operator_decisions.items(), key=lambda kv: (kv[0][1], kv[0][0] != 'core', kv[0][0])):
        out.append(f'    {{{cstr(name)}, {scope_index[scope]}, {"true" if allowed else "false"}, {cstr(reason)}}},')
    out += ['};', '',
            'struct PackType {',
            '  std::string_view name;',
            '  int scope;',
            '};',
            '// Types an extension pack brings (qualified use needs the pack).',
            'inline constexpr PackType kPackTypes[] = {']
    pack_types = sorted({(t[1], classify.scope_of(t[5])) for t in types if classify.scope_of(t[5]) != 'core'})
    for name, scope in pack_types:
        if scope in scope_index:
            out.append(f'    {{{cstr(name)}, {scope_index[scope]}}},')
    out.append('};')
    with open(args.out_functions, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    with open(args.out_classified, 'w', encoding='utf-8') as f:
        f.write(classify.render(decisions, operator_decisions, version_line))
    return allow, deny


def gen_dict(args, allow, deny, keywords_path):
    tokens = set()
    for name in list(allow) + list(deny):
        tokens.add(name)
    if keywords_path:
        with open(keywords_path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'^PG_KEYWORD\("([a-z_]+)"', line)
                if m:
                    tokens.add(m.group(1))
    extra = ['$$', "E'\\\\'", 'U&"', "U&'", '::', '/*', '*/', '--', ';', "'", '"',
             ' UESCAPE ', '(', ')', '[', ']', ',', '.*', '=>', ' OPERATOR(', '$1',
             ' LIMIT ', ' OFFSET ', ' FETCH FIRST ', ' ROWS ONLY', ' WITH TIES',
             ' FOR UPDATE', ' INTO ', ' WITH RECURSIVE ', ' LATERAL ', ' ROWS FROM (',
             ' UNION ALL ', ' WITHIN GROUP (', ' FILTER (WHERE ', ' OVER (',
             'pg_catalog.', 'information_schema.', '\\x00', '\\xff']
    lines = ['# Generated by grammar/gen_tables.py: PostgreSQL keywords, the names on',
             '# grammar/functions.allow and functions.deny, and hand-picked tokens.']
    for t in sorted(tokens):
        lines.append('"' + t.replace('\\', '\\\\').replace('"', '\\"') + '"')
    for t in extra:
        lines.append('"' + t.replace('"', '\\"') + '"')
    with open(args.out_dict, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--proto', required=True)
    p.add_argument('--nodes-allow', required=True)
    p.add_argument('--nodes-deny', required=True)
    p.add_argument('--functions-allow', required=True)
    p.add_argument('--functions-deny', required=True)
    p.add_argument('--catalog', required=True)
    p.add_argument('--keywords', default=None)
    p.add_argument('--out-walk', required=True)
    p.add_argument('--out-functions', required=True)
    p.add_argument('--out-proto-fields', required=True)
    p.add_argument('--out-dict', required=True)
    p.add_argument('--out-classified', required=True)
    args = p.parse_args()
    node_kinds, messages = parse_proto(args.proto)
    gen_walk(args, node_kinds, messages)
    gen_proto_fields(args, node_kinds, messages)
    allow, deny = gen_functions(args)
    gen_dict(args, allow, deny, args.keywords)


if __name__ == '__main__':
    main()
