INSERT INTO migtest_items (id) VALUES (1), (2);
