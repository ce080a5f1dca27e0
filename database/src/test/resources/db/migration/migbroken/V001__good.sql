CREATE TABLE migbroken_good (id integer PRIMARY KEY);
