-- RFC 8628 device authorization grants (QR login) and MSC4312 cross-signing reset approvals.

CREATE TABLE auth.device_grants (
  id                 uuid        PRIMARY KEY,
  device_code_hash   bytea       NOT NULL UNIQUE,
  user_code          text        NOT NULL,
  client_id          text        NOT NULL REFERENCES auth.clients (client_id),
  scope              text        NOT NULL,
  state              text        NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'exchanged')),
  interval_seconds   integer     NOT NULL,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  last_polled_at     timestamptz,
  requested_from     text,
  requested_by_agent text,
  user_id            uuid        REFERENCES auth.users (id),
  decided_at         timestamptz,
  session_id         uuid        REFERENCES auth.sessions (id)
);
-- User codes are short: unique only among grants that can still be approved.
CREATE UNIQUE INDEX device_grants_pending_code ON auth.device_grants (user_code) WHERE state = 'pending';

CREATE TABLE auth.cross_signing_resets (
  id           uuid        PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES auth.users (id),
  approved_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz
);
CREATE INDEX cross_signing_resets_open ON auth.cross_signing_resets (user_id, expires_at) WHERE used_at IS NULL;
