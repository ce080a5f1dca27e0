CREATE TABLE migbroken_half (id integer PRIMARY KEY);
INSERT INTO migbroken_half (id) VALUES (1), (1);
