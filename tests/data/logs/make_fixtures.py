#!/usr/bin/env python3
"""Writes the audit reader fixtures of tests/data/logs/ (committed; rerun after
editing this file). The csvlog and jsonlog entries follow what PostgreSQL 15
(Debian 15.x, pgaudit 1.7) writes with log_statement = 'all' and pgaudit.log =
'all'; the counts audit_test expects are derived in the comments below.

  python3 tests/data/logs/make_fixtures.py
"""
import csv
import gzip
import io
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# One log entry: (time, user, db, pid, session, line, tag, severity, state,
# message, query, application). Comments say whether audit counts it.
S_ALICE, S_BOB, S_CAROL, S_DAVE = "6650a1b2.1f40", "6650a1b3.1f41", "6650a1b4.1f42", "6650a1b5.1f43"
ENTRIES = [
    # not statements
    ("2024-05-24 10:00:00.100 UTC", "", "", 8000, "6650a1b0.1f3f", 1, "", "LOG", "00000",
     "database system is ready to accept connections", "", ""),
    ("2024-05-24 10:00:01.000 UTC", "alice", "shop", 8001, S_ALICE, 1, "authentication", "LOG", "00000",
     "connection authorized: user=alice database=shop application_name=dashboard", "", "dashboard"),
    # 1 counted: allowed, capped
    ("2024-05-24 10:00:01.010 UTC", "alice", "shop", 8001, S_ALICE, 2, "idle", "LOG", "00000",
     "statement: select id, total from orders where id = 1;", "", "dashboard"),
    # pgaudit repeats the statement line: not counted
    ("2024-05-24 10:00:01.011 UTC", "alice", "shop", 8001, S_ALICE, 3, "SELECT", "LOG", "00000",
     'AUDIT: SESSION,1,1,READ,SELECT,,,"select id, total from orders where id = 1;",<not logged>', "", "dashboard"),
    # 2 counted: rejected function-not-allowed
    ("2024-05-24 10:00:02.000 UTC", "alice", "shop", 8001, S_ALICE, 4, "idle", "LOG", "00000",
     "statement: select pg_sleep(0);", "", "dashboard"),
    ("2024-05-24 10:00:02.001 UTC", "alice", "shop", 8001, S_ALICE, 5, "SELECT", "LOG", "00000",
     "AUDIT: SESSION,2,1,READ,SELECT,,,select pg_sleep(0);,<not logged>", "", "dashboard"),
    # 3 counted: a syntax error is never logged by log_statement, only by the error: parse-error
    ("2024-05-24 10:00:03.000 UTC", "alice", "shop", 8001, S_ALICE, 6, "idle", "ERROR", "42601",
     'syntax error at or near "selec"', "selec 1;", "dashboard"),
    # 4 counted: a multi-line statement (a quoted CSV field over two lines): allowed, capped
    ("2024-05-24 10:01:00.000 UTC", "alice", "shop", 8001, S_ALICE, 7, "idle", "LOG", "00000",
     "statement: select 'multi\nline' as a, E'tab\\there' as b;", "", "dashboard"),
    ("2024-05-24 10:01:00.001 UTC", "alice", "shop", 8001, S_ALICE, 8, "SELECT", "LOG", "00000",
     'AUDIT: SESSION,3,1,READ,SELECT,,,"select \'multi\nline\' as a, E\'tab\\there\' as b;",<not logged>', "",
     "dashboard"),
    # 5 counted: rejected insert-statement
    ("2024-05-24 10:02:00.000 UTC", "bob", "shop", 8002, S_BOB, 1, "idle", "LOG", "00000",
     "statement: insert into orders values (2, 3, 'x');", "", "etl"),
    ("2024-05-24 10:02:00.001 UTC", "bob", "shop", 8002, S_BOB, 2, "INSERT", "LOG", "00000",
     "AUDIT: SESSION,1,1,WRITE,INSERT,,,\"insert into orders values (2, 3, 'x');\",<not logged>", "", "etl"),
    # 6 counted: allowed, capped (the server fails it; pgsieve only sees the text)
    ("2024-05-24 10:02:01.000 UTC", "bob", "shop", 8002, S_BOB, 3, "idle", "LOG", "00000",
     "statement: select * from nosuchtable;", "", "etl"),
    # the error repeats the statement just logged: not counted
    ("2024-05-24 10:02:01.001 UTC", "bob", "shop", 8002, S_BOB, 4, "SELECT", "ERROR", "42P01",
     'relation "nosuchtable" does not exist', "select * from nosuchtable;", "etl"),
    # 7 counted: the extended protocol. pgaudit logs when the portal starts,
    # at bind, so its line comes first; the execute line repeats it.
    ("2024-05-24 10:02:02.000 UTC", "bob", "shop", 8002, S_BOB, 5, "BIND", "LOG", "00000",
     "AUDIT: SESSION,2,1,READ,SELECT,,,select id from orders where total > $1,<not logged>", "", "etl"),
    ("2024-05-24 10:02:02.001 UTC", "bob", "shop", 8002, S_BOB, 6, "SELECT", "LOG", "00000",
     "execute <unnamed>: select id from orders where total > $1", "", "etl"),
    # not statements: parse / bind lines and a fetch from an open portal
    ("2024-05-24 10:02:02.002 UTC", "bob", "shop", 8002, S_BOB, 7, "SELECT", "LOG", "00000",
     "duration: 0.020 ms  parse <unnamed>: select 1", "", "etl"),
    ("2024-05-24 10:02:02.003 UTC", "bob", "shop", 8002, S_BOB, 8, "SELECT", "LOG", "00000",
     "duration: 0.010 ms  bind <unnamed>: select 1", "", "etl"),
    ("2024-05-24 10:02:02.004 UTC", "bob", "shop", 8002, S_BOB, 9, "SELECT", "LOG", "00000",
     "execute fetch from S_1/C_1: select id from orders where total > $1", "", "etl"),
    # pgaudit only (log_statement = 'none' for carol):
    # 8 counted: allowed, capped
    ("2024-05-24 10:03:00.000 UTC", "carol", "reports", 8003, S_CAROL, 1, "SELECT", "LOG", "00000",
     "AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.orders,select count(*) from orders,<not logged>", "", "report"),
    # the same statement id (one line per relation): not counted
    ("2024-05-24 10:03:00.001 UTC", "carol", "reports", 8003, S_CAROL, 2, "SELECT", "LOG", "00000",
     "AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.order_items,select count(*) from orders,<not logged>", "",
     "report"),
    # 9 counted: the same text again is a new statement id: allowed, capped
    ("2024-05-24 10:04:00.000 UTC", "carol", "reports", 8003, S_CAROL, 3, "SELECT", "LOG", "00000",
     "AUDIT: SESSION,2,1,READ,SELECT,TABLE,public.orders,select count(*) from orders,<not logged>", "", "report"),
    # 10 counted: rejected ddl-statement
    ("2024-05-24 10:05:00.000 UTC", "carol", "reports", 8003, S_CAROL, 4, "CREATE TABLE", "LOG", "00000",
     "AUDIT: SESSION,3,1,DDL,CREATE TABLE,TABLE,public.t,create table t (a int),<not logged>", "", "report"),
    # SESSION and OBJECT lines of one statement: not counted
    ("2024-05-24 10:05:00.001 UTC", "carol", "reports", 8003, S_CAROL, 5, "CREATE TABLE", "LOG", "00000",
     "AUDIT: OBJECT,3,1,DDL,CREATE TABLE,TABLE,public.t,create table t (a int),<not logged>", "", "report"),
    # log_min_duration_statement only (dave):
    # 11 counted: allowed, capped
    ("2024-05-24 10:06:00.000 UTC", "dave", "shop", 8004, S_DAVE, 1, "SELECT", "LOG", "00000",
     "duration: 12.345 ms  statement: select now()", "", "psql"),
    # a bare duration: not a statement
    ("2024-05-24 10:06:01.000 UTC", "dave", "shop", 8004, S_DAVE, 2, "SELECT", "LOG", "00000",
     "duration: 0.050 ms", "", "psql"),
    # malformed 2 (csvlog) / 3 (jsonlog): a pgaudit line whose fields cannot be read
    ("2024-05-24 10:07:00.000 UTC", "dave", "shop", 8004, S_DAVE, 3, "SELECT", "LOG", "00000",
     "AUDIT: SESSION,4,1", "", "psql"),
]
# csvlog: 11 statements, 4 rejected (function-not-allowed, parse-error,
# insert-statement, ddl-statement), 7 allowed, all 7 capped; malformed: the
# short record, the bad pgaudit line, the unterminated quote at the end (3).


def csv_row(fields):
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerow(fields)
    return out.getvalue()


def csvlog_line(e):
    time, user, db, pid, session, line, tag, sev, state, message, query, app = e
    # PostgreSQL quotes the text columns always; csv.writer quotes when needed,
    # which reads the same.
    fields = [time, user, db, pid, "[local]" if user else "", session, line, tag,
              "2024-05-24 10:00:00 UTC", "3/1", 0, sev, state, message, "", "", "", "", "",
              query, 1 if query else "", "", app, "client backend", "", 0]
    return csv_row(fields)


def jsonlog_line(e):
    time, user, db, pid, session, line, tag, sev, state, message, query, app = e
    j = {"timestamp": time}
    if user:
        j["user"] = user
    if db:
        j["dbname"] = db
    j.update({"pid": pid, "session_id": session, "line_num": line, "ps": tag,
              "session_start": "2024-05-24 10:00:00 UTC", "vxid": "3/1", "txid": 0, "error_severity": sev})
    if state != "00000":
        j["state_code"] = state
    j["message"] = message
    if query:
        j["statement"] = query
        j["cursor_position"] = 1
    j.update({"application_name": app, "backend_type": "client backend", "query_id": 0})
    return json.dumps(j, separators=(",", ":")) + "\n"


def write(name, text, binary=False):
    with open(os.path.join(HERE, name), "wb" if binary else "w", encoding=None if binary else "utf-8",
              newline=None if binary else "") as f:
        f.write(text)


csvlog = "".join(csvlog_line(e) for e in ENTRIES[:6])
csvlog += "2024-05-24 10:00:02.500 UTC,not,enough,fields\n"  # malformed 1: 4 fields
csvlog += "".join(csvlog_line(e) for e in ENTRIES[6:])
csvlog += '2024-05-24 10:08:00.000 UTC,"dave","shop",8004,"[local]",' + S_DAVE + ',4,"idle",' \
          '2024-05-24 10:00:00 UTC,3/1,0,LOG,00000,"statement: select 1\n'  # malformed 3: cut in a quote
write("postgresql.csv", csvlog)

jsonlog = "".join(jsonlog_line(e) for e in ENTRIES[:6])
jsonlog += "this line is not JSON\n"  # malformed 1
jsonlog += "".join(jsonlog_line(e) for e in ENTRIES[6:12])
jsonlog += '{"user":"bob","error_severity":"LOG","message":"statement: select 2"}\n'  # malformed 2: no timestamp
jsonlog += "".join(jsonlog_line(e) for e in ENTRIES[12:])
# jsonlog: the same 11 statements; malformed: the non-JSON line, the entry
# without a timestamp, the bad pgaudit line (3).
write("postgresql.json", jsonlog)

# gzip: the csvlog compressed (mtime 0: the bytes do not change between
# runs); a copy cut in the middle of the compressed stream; a copy with bytes
# flipped inside the deflate data.
gz = gzip.compress(csvlog.encode("utf-8"), mtime=0)
write("postgresql.csv.gz", gz, binary=True)
write("truncated.csv.gz", gz[: len(gz) // 2], binary=True)
corrupt = bytearray(gz)
for i in range(len(gz) // 2, len(gz) // 2 + 16):
    corrupt[i] ^= 0x5A
write("corrupt.csv.gz", bytes(corrupt), binary=True)

# pg_stat_statements as COPY (SELECT query, calls, ...) TO STDOUT WITH CSV HEADER writes it.
# 5 records, 13 executions: allowed 10, all capped (LIMIT $1 is wrapped),
# rejected 3 (insert-statement 2 calls, set-statement 1); malformed: calls "x" (1).
pgss_csv = csv_row(["userid", "dbid", "username", "datname", "query", "calls"])
for row in [
    [10, 16384, "alice", "shop", "select id, total from orders where id = $1", 5],
    [10, 16384, "alice", "shop", "select count(*) from orders limit $1", 3],
    [11, 16384, "bob", "shop", "insert into orders values ($1, $2, $3)", 2],
    [11, 16384, "bob", "shop", "set work_mem = '8MB'", 1],
    [11, 16384, "bob", "shop", "select *\nfrom orders\nwhere status = $1", 2],
    [11, 16384, "bob", "shop", "select $1", "x"],  # malformed
    [11, 16384, "bob", "shop", "select 42", 0],    # tracked, never completed: skipped
]:
    pgss_csv += csv_row(row)
write("pg_stat_statements.csv", pgss_csv)

# The same as a JSON array (what `select json_agg(s) from pg_stat_statements s` gives),
# with an object without "query" and a number (2 malformed).
pgss_json = [
    {"userid": 10, "username": "alice", "datname": "shop", "query": "select id, total from orders where id = $1", "calls": 5},
    {"userid": 10, "username": "alice", "datname": "shop", "query": "select count(*) from orders limit $1", "calls": 3},
    {"userid": 11, "username": "bob", "datname": "shop", "query": "insert into orders values ($1, $2, $3)", "calls": 2},
    {"userid": 11, "username": "bob", "datname": "shop", "query": "set work_mem = '8MB'", "calls": 1,
     "nested": {"ignored": [1, 2, {"a": "}"}]}},
    {"userid": 11, "username": "bob", "datname": "shop", "query": "select *\nfrom orders\nwhere status = $1", "calls": 2},
    {"userid": 11, "username": "bob", "datname": "shop", "calls": 1},
    7,
]
write("pg_stat_statements.json", "[\n" + ",\n".join(json.dumps(o) for o in pgss_json) + "\n]\n")
