-- Users, OAuth clients, sessions, tokens, devices and signing keys. Secrets are never stored in clear:
-- tokens, codes and client secrets as SHA-256 digests, passwords as argon2id (bcrypt accepted on import).

CREATE TABLE auth.users (
  id              uuid        PRIMARY KEY,
  localpart       text        NOT NULL UNIQUE,
  password_hash   text,
  admin           boolean     NOT NULL DEFAULT false,
  appservice_id   text,
  created_at      timestamptz NOT NULL,
  deactivated_at  timestamptz
);

CREATE TABLE auth.clients (
  client_id                  text        PRIMARY KEY,
  metadata                   jsonb       NOT NULL,
  token_endpoint_auth_method text        NOT NULL,
  secret_hash                bytea,
  static                     boolean     NOT NULL DEFAULT false,
  may_introspect             boolean     NOT NULL DEFAULT false,
  -- Digest of the canonical metadata of a public client: identical registrations share one client_id.
  metadata_digest            text        UNIQUE,
  created_at                 timestamptz NOT NULL
);

CREATE TABLE auth.devices (
  user_id        uuid        NOT NULL REFERENCES auth.users (id),
  device_id      text        NOT NULL,
  display_name   text,
  created_at     timestamptz NOT NULL,
  created_by     text        NOT NULL,
  last_seen_at   timestamptz,
  last_seen_ip   text,
  PRIMARY KEY (user_id, device_id)
);

CREATE TABLE auth.sessions (
  id             uuid        PRIMARY KEY,
  user_id        uuid        NOT NULL REFERENCES auth.users (id),
  device_id      text,
  client_id      text        NOT NULL REFERENCES auth.clients (client_id),
  scope          text        NOT NULL,
  created_at     timestamptz NOT NULL,
  finished_at    timestamptz,
  finish_reason  text
);
CREATE INDEX sessions_user ON auth.sessions (user_id) WHERE finished_at IS NULL;
CREATE INDEX sessions_device ON auth.sessions (user_id, device_id) WHERE finished_at IS NULL;

CREATE TABLE auth.access_tokens (
  id             uuid        PRIMARY KEY,
  token_hash     bytea       NOT NULL UNIQUE,
  session_id     uuid        NOT NULL REFERENCES auth.sessions (id),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  first_used_at  timestamptz,
  revoked_at     timestamptz
);
CREATE INDEX access_tokens_session ON auth.access_tokens (session_id);

CREATE TABLE auth.refresh_tokens (
  id               uuid        PRIMARY KEY,
  token_hash       bytea       NOT NULL UNIQUE,
  session_id       uuid        NOT NULL REFERENCES auth.sessions (id),
  access_token_id  uuid        NOT NULL REFERENCES auth.access_tokens (id),
  created_at       timestamptz NOT NULL,
  consumed_at      timestamptz,
  next_id          uuid        REFERENCES auth.refresh_tokens (id),
  revoked_at       timestamptz
);
CREATE INDEX refresh_tokens_session ON auth.refresh_tokens (session_id);

CREATE TABLE auth.authorization_codes (
  code_hash              bytea       PRIMARY KEY,
  client_id              text        NOT NULL REFERENCES auth.clients (client_id),
  user_id                uuid        NOT NULL REFERENCES auth.users (id),
  redirect_uri           text        NOT NULL,
  scope                  text        NOT NULL,
  code_challenge         text        NOT NULL,
  nonce                  text,
  auth_time              timestamptz NOT NULL,
  created_at             timestamptz NOT NULL,
  expires_at             timestamptz NOT NULL,
  exchanged_at           timestamptz,
  session_id             uuid        REFERENCES auth.sessions (id)
);

CREATE TABLE auth.signing_keys (
  kid          text        PRIMARY KEY,
  algorithm    text        NOT NULL,
  private_jwk  text        NOT NULL,
  created_at   timestamptz NOT NULL,
  retired_at   timestamptz
);
