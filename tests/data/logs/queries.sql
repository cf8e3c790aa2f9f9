-- A psql script as a person or an agent would write it. Statements end at a
-- top-level ';' only: the ones inside strings, identifiers, comments and
-- dollar quotes do not count.
\set ON_ERROR_STOP on
\connect shop

/* 1 */ select id, total from orders where status = 'a;b' order by id limit 10;
select "odd;name" from orders;                     -- 2: a ';' in an identifier
select E'it\'s; fine' as s, 'it''s; fine' as t;    -- 3: escapes in E'' and ''
/* a comment; with a semicolon /* nested; */ still comment */ select 4 as four;
create function f() returns int language sql as $body$ select 1; $body$;  -- 5: rejected (ddl)
select $$a;b$$ as dollar,
       $1 as param;                                -- 6: spans lines; $1 is a parameter
COPY orders (id, total) FROM stdin;
1	2.50
2	this line is data; not a statement
\.
delete from orders where id = 1;                   -- 8: rejected (the COPY above is 7)
-- only a comment here; then a last statement without a semicolon
select now()
