-- The auth module owns everything in this schema; no other module reads it.
CREATE SCHEMA IF NOT EXISTS auth;
