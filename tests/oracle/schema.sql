-- The oracle's test database: the extension packs, and tables with data that the
-- golden cases, the generated statements and the bypass controls read.
create extension if not exists pgcrypto;
create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;
create extension if not exists unaccent;
create extension if not exists citext;
create extension if not exists hstore;
create extension if not exists ltree;
create extension if not exists cube;
create extension if not exists earthdistance;
create extension if not exists tablefunc;
create extension if not exists "uuid-ossp";
create extension if not exists tsm_system_rows;
create extension if not exists tsm_system_time;
do $$ begin
  create extension if not exists postgis;
exception when others then raise notice 'postgis not available';
end $$;

create table customers (id int primary key, name text, email text, country text, segment text,
                        currency text, created_at timestamptz);
insert into customers
select i, 'customer ' || i, 'c' || i || '@example.com', (array['DE','FR','US','JP'])[1 + i % 4],
       (array['SME','LAM','KAM'])[1 + i % 3], (array['EUR','CZK'])[1 + i % 2],
       timestamptz '2024-01-01' + i * interval '1 hour'
from generate_series(1, 300) i;

create table orders (id int primary key, customer_id int references customers, total numeric(10,2),
                     status text, created_at timestamptz, shipped_at timestamptz, payload jsonb);
insert into orders
select i, 1 + i % 300, (i * 7919 % 10000) / 100.0, (array['new','paid','shipped','cancelled'])[1 + i % 4],
       timestamptz '2024-01-01' + i * interval '37 minutes', timestamptz '2024-01-02' + i * interval '41 minutes',
       jsonb_build_object('a', i % 10, 'b', jsonb_build_object('c', i % 3), 'tags', jsonb_build_array('x', i % 5))
from generate_series(1, 3000) i;

create table products (id int primary key, name text, category text, price numeric(10,2));
insert into products select i, 'product ' || i, (array['a','b','c'])[1 + i % 3], i * 1.5 from generate_series(1, 200) i;

create table order_items (order_id int, product_id int, quantity int, price numeric(10,2));
insert into order_items select 1 + i % 3000, 1 + i % 200, 1 + i % 5, (i % 100) + 0.99 from generate_series(1, 6000) i;

create table employees (id int primary key, name text, manager_id int, department text, salary numeric);
insert into employees select i, 'employee ' || i, case when i = 1 then null else i / 2 end,
       (array['eng','ops','sales'])[1 + i % 3], 50000 + i * 100 from generate_series(1, 500) i;

create table events (id bigint primary key, kind text, user_id int, at timestamptz, payload jsonb);
insert into events select i, (array['click','view','buy'])[1 + i % 3], i % 100, timestamptz '2024-03-01' + i * interval '1 minute',
       jsonb_build_object('a', jsonb_build_object('b', i % 7)) from generate_series(1, 5000) i;

create table t (id int, a int, b text, x int, y int, c int[], created_at timestamptz);
insert into t select i, i % 10, 'b' || i, i % 7, i % 5, array[i, i + 1], timestamptz '2024-01-01' + i * interval '1 day'
from generate_series(1, 2000) i;

create table users (id int primary key, name text, email text, created_at timestamptz);
insert into users select i, 'user ' || i, 'u' || i || '@example.com', now() - i * interval '1 day' from generate_series(1, 500) i;

create table nums (n int);
insert into nums select generate_series(1, 100);

-- Column names that are also function names (attribute-notation cases in
-- functions.test), and a JSON tree for the recursive walk (resources.test).
create type address as (street text, city text, latitude float8, longitude float8, zip text, system text);
create table shipments (id int primary key, stops jsonb, dest address);
insert into shipments values
  (1, '[{"latitude": 52.5, "longitude": 13.4, "city": "Berlin"}, {"latitude": 48.9, "longitude": 2.3, "city": "Paris"}]',
   row('Unter den Linden 1', 'Berlin', 52.5, 13.4, '10117', 'WGS84'));
create table requests (id int primary key, ssl_cipher text, ssl_version text, page_header text, raw bytea, status int);
insert into requests select i, 'TLS_AES_128_GCM_SHA256', 'TLSv1.3', 'h' || i, '\x00'::bytea, 200
  from generate_series(1, 20) i;
create table categories (doc jsonb);
insert into categories values ('{"name": "root", "children": [{"name": "a", "children": [{"name": "a1"}]}, {"name": "b"}]}');
