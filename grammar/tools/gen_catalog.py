#!/usr/bin/env python3
"""Dumps PostgreSQL 15's catalog (functions, operators, types) into grammar/catalog/.

Starts a throwaway PostgreSQL 15 cluster (Debian postgresql-15; as root it runs
the server as the `postgres` user) on a unix socket in a temporary directory,
creates the extensions pgsieve knows as packs in a scratch database, reads
pg_proc, pg_aggregate, pg_operator, pg_type, pg_namespace and pg_depend, and
writes sorted, tab-separated text with the server version on top:

  catalog/functions.tsv  one row per function overload
  catalog/operators.tsv  one row per operator
  catalog/types.tsv      one row per type

The files are committed; grammar/gen_tables.py classifies them at build time
(see grammar/README.md). tests/oracle runs this script into a temporary
directory and fails when the result differs from the committed files.

Usage: gen_catalog.py [OUTDIR]   (default: grammar/catalog next to this script)
"""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile

PGBIN = os.environ.get('PGBIN', '/usr/lib/postgresql/15/bin')

# The extension packs a policy can switch on by name (policy key `extensions`).
# PostGIS is included when Debian's postgresql-15-postgis-3 is installed.
EXTENSIONS = ['pgcrypto', 'pg_trgm', 'fuzzystrmatch', 'unaccent', 'citext', 'hstore',
              'ltree', 'cube', 'earthdistance', 'tablefunc', 'uuid-ossp',
              'tsm_system_rows', 'tsm_system_time', 'postgis']

FUNCTIONS_SQL = r"""
select n.nspname,
       p.proname,
       pg_get_function_identity_arguments(p.oid),
       format_type(p.prorettype, null),
       p.prokind,
       p.provolatile,
       p.proparallel,
       case when p.proretset then 't' else 'f' end,
       p.pronargs,
       p.pronargdefaults,
       case when p.provariadic <> 0 then format_type(p.provariadic, null) else '-' end,
       coalesce(array_to_string(array(select format_type(t, null)
                                        from unnest(p.proargtypes::oid[]) with ordinality a(t, i)
                                        order by i), ','), ''),
       coalesce((select t.typtype from pg_type t where t.oid = p.proargtypes[0]), '-'),
       case when a.aggkind is null then '-' else a.aggkind::text end,
       coalesce((select e.extname from pg_depend d join pg_extension e on e.oid = d.refobjid
                  where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'), '-')
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
left join pg_aggregate a on a.aggfnoid = p.oid
where n.nspname = 'pg_catalog'
   or exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by 1, 2, 3  -- the cluster is initdb --locale=C
"""

OPERATORS_SQL = r"""
select n.nspname,
       o.oprname,
       case when o.oprleft = 0 then '-' else format_type(o.oprleft, null) end,
       case when o.oprright = 0 then '-' else format_type(o.oprright, null) end,
       format_type(o.oprresult, null),
       pn.nspname,
       p.proname,
       coalesce((select e.extname from pg_depend d join pg_extension e on e.oid = d.refobjid
                  where d.classid = 'pg_operator'::regclass and d.objid = o.oid and d.deptype = 'e'), '-')
from pg_operator o
join pg_namespace n on n.oid = o.oprnamespace
join pg_proc p on p.oid = o.oprcode
join pg_namespace pn on pn.oid = p.pronamespace
where n.nspname = 'pg_catalog'
   or exists (select 1 from pg_depend d where d.classid = 'pg_operator'::regclass and d.objid = o.oid and d.deptype = 'e')
order by 1, 2, 3, 4  -- the cluster is initdb --locale=C
"""

TYPES_SQL = r"""
select n.nspname,
       t.typname,
       format_type(t.oid, null),
       t.typtype,
       t.typcategory,
       coalesce((select e.extname from pg_depend d join pg_extension e on e.oid = d.refobjid
                  where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e'), '-')
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
where (n.nspname = 'pg_catalog'
       or exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e'))
  and t.typrelid = 0 or (t.typtype = 'c' and exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e'))
order by 1, 2  -- the cluster is initdb --locale=C
"""


class Server:
    """A throwaway cluster; stopped (by its pid if need be) on exit."""

    def __init__(self, port=54986):
        self.dir = tempfile.mkdtemp(prefix='pgsieve-catalog-')
        self.port = port
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam('postgres')
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.started = False

    def run(self, args, **kw):
        if self.as_postgres:
            args = ['runuser', '-u', 'postgres', '--'] + args
        return subprocess.run(args, check=True, **kw)

    def start(self):
        self.run([f'{PGBIN}/initdb', '-D', f'{self.dir}/data', '-A', 'trust', '-U', 'postgres',
                  '--locale=C', '-E', 'UTF8'], stdout=subprocess.DEVNULL)
        self.run([f'{PGBIN}/pg_ctl', '-D', f'{self.dir}/data', '-l', f'{self.dir}/log', '-w', '-o',
                  f"-c listen_addresses='' -c unix_socket_directories='{self.dir}' -c port={self.port} "
                  '-c fsync=off', 'start'], stdout=subprocess.DEVNULL)
        self.started = True

    def stop(self):
        if self.started:
            subprocess.run((['runuser', '-u', 'postgres', '--'] if self.as_postgres else []) +
                           [f'{PGBIN}/pg_ctl', '-D', f'{self.dir}/data', '-m', 'immediate', '-w', 'stop'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, sql, db='postgres'):
        out = subprocess.run(['psql', '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1',
                              '-h', self.dir, '-p', str(self.port), '-U', 'postgres', '-d', db, '-c', sql],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f'psql failed: {out.stderr.strip()}')
        return out.stdout


def available_extensions(server):
    names = set(server.psql('select name from pg_available_extensions').split())
    return [e for e in EXTENSIONS if e in names]


def write(path, header, rows):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(header)
        f.write(rows if rows.endswith('\n') or not rows else rows + '\n')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'catalog')
    os.makedirs(outdir, exist_ok=True)
    server = Server()
    try:
        server.start()
        server.psql('create database scratch')
        extensions = available_extensions(server)
        for ext in extensions:
            server.psql(f'create extension if not exists "{ext}" cascade', db='scratch')
        version = server.psql('select version()').strip()
        installed = server.psql("select extname || ' ' || extversion from pg_extension order by 1",
                                db='scratch').strip().replace('\n', ', ')
        header = (f'# Generated by grammar/tools/gen_catalog.py from {version}\n'
                  f'# extensions: {installed}\n'
                  '# Do not edit: regenerate (see grammar/README.md). Tab-separated columns:\n')
        write(os.path.join(outdir, 'functions.tsv'),
              header + '# schema\tname\tidentity_args\tresult\tkind\tvolatility\tparallel\tretset\t'
                       'nargs\tndefaults\tvariadic\targ_types\tfirst_arg_typtype\taggkind\textension\n',
              server.psql(FUNCTIONS_SQL, db='scratch'))
        write(os.path.join(outdir, 'operators.tsv'),
              header + '# schema\tname\tleft\tright\tresult\tfunction_schema\tfunction\textension\n',
              server.psql(OPERATORS_SQL, db='scratch'))
        write(os.path.join(outdir, 'types.tsv'),
              header + '# schema\tname\tformatted\ttyptype\tcategory\textension\n',
              server.psql(TYPES_SQL, db='scratch'))
    finally:
        server.stop()
    print(f'wrote {outdir}/functions.tsv, operators.tsv, types.tsv', file=sys.stderr)


if __name__ == '__main__':
    main()
