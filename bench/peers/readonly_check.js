// The npm peers on the same statements:
//   wasm  libpg-query (PostgreSQL 15 grammar compiled to WebAssembly): parseSync
//         and the same JSON walk as readonly_check.py (one SELECT or EXPLAIN
//         without ANALYZE of one; no other statement kind at any depth; no
//         SELECT INTO or FOR UPDATE/SHARE; no call on grammar/functions.deny)
//   nsp   node-sql-parser's whiteListCheck(sql, ['select::(.*)::(.*)'],
//         {database: 'PostgresQL', type: 'table'}): allowed when it does not throw
//
//   node readonly_check.js wasm|nsp DENY_FILE FILE [FILE...]   one JSON line per file
'use strict';
const fs = require('fs');

function readRecords(path) {
  const data = fs.readFileSync(path, 'utf8');
  const parts = data.split('\n\x1e\n');
  parts.pop();
  return parts;
}

function readDeny(path) {
  const names = new Set();
  for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
    const words = line.split('#')[0].trim().split(/\s+/);
    if (words[0]) names.add(words[0]);
  }
  return names;
}

function wasmCheck(parseSync, deny) {
  function walk(node) {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const value = node[key];
        if (key.endsWith('Stmt') && key !== 'SelectStmt') throw new Error(key);
        if (key === 'SelectStmt') {
          if (value.intoClause || (value.lockingClause && value.lockingClause.length)) throw new Error('into/locking');
        } else if (key === 'FuncCall') {
          const names = value.funcname || [];
          const last = names.length ? names[names.length - 1] : null;
          if (last && last.String && deny.has(last.String.sval)) throw new Error('function');
        }
        walk(value);
      }
    }
  }
  return (sql) => {
    let tree;
    try {
      tree = parseSync(sql);
    } catch (e) {
      return false;
    }
    const stmts = tree.stmts || [];
    if (stmts.length !== 1) return false;
    const stmt = stmts[0].stmt || {};
    try {
      if (stmt.ExplainStmt) {
        const explain = stmt.ExplainStmt;
        for (const opt of explain.options || []) {
          const d = opt.DefElem || {};
          if (d.defname === 'analyze' && (d.arg === undefined || !JSON.stringify(d.arg).toLowerCase().includes('false'))) {
            return false;
          }
        }
        walk(explain.query || {});
        return !!(explain.query && explain.query.SelectStmt);
      }
      if (!stmt.SelectStmt) return false;
      walk(stmt);
    } catch (e) {
      return false;
    }
    return true;
  };
}

function nspCheck(Parser) {
  const parser = new Parser();
  const whiteList = ['select::(.*)::(.*)'];
  const opt = { database: 'PostgresQL', type: 'table' };
  return (sql) => {
    try {
      parser.whiteListCheck(sql, whiteList, opt);
      return true;
    } catch (e) {
      return false;
    }
  };
}

async function main() {
  const [peer, denyFile, ...files] = process.argv.slice(2);
  let check;
  let passes = 3;
  if (peer === 'wasm') {
    const pg = require('libpg-query');
    await pg.loadModule();
    check = wasmCheck(pg.parseSync, readDeny(denyFile));
  } else if (peer === 'nsp') {
    check = nspCheck(require('node-sql-parser/build/postgresql').Parser);
    passes = 2;
  } else {
    throw new Error('peer must be wasm or nsp');
  }
  for (const path of files) {
    const texts = readRecords(path);
    const allowed = [];
    texts.forEach((sql, i) => { if (check(sql)) allowed.push(i); });
    let best = 0;
    for (let p = 0; p < passes; ++p) {
      // CPU time of the process (user + system, every thread: the JIT and GC
      // count), so load from elsewhere on the machine does not.
      const t0 = process.cpuUsage();
      for (const sql of texts) check(sql);
      const used = process.cpuUsage(t0);
      const s = (used.user + used.system) / 1e6;
      best = Math.max(best, texts.length / s);
    }
    console.log(JSON.stringify({ peer: peer === 'wasm' ? 'libpg-query-wasm' : 'node-sql-parser', file: path,
      statements: texts.length, allowed: allowed.length, allowed_indices: allowed, check_per_s: Math.round(best) }));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
