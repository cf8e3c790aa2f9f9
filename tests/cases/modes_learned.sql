-- The statements tests/cases/modes.fingerprints was learned from (modes.test):
--   pgsieve learn tests/cases/modes_learned.sql > tests/cases/modes.fingerprints
-- audit_cli_test checks that the command still produces that file.
select id, total from orders where id = 1;
select id, total from orders order by id limit 10;
select id, total from orders where id = 2;
