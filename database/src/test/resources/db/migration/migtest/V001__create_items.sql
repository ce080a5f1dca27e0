-- Deliberately not idempotent, and slow, so that two nodes applying it at once would collide.
CREATE TABLE migtest_items (id integer PRIMARY KEY);
SELECT pg_sleep(0.3);
