-- Single-use login tokens of the legacy SSO flow (m.login.sso → m.login.token): handed to the application in its
-- redirect, exchanged once for a compatibility session within a short lifetime. Only their digests are kept.
CREATE TABLE auth.login_tokens (
  token_hash   bytea       PRIMARY KEY,
  user_id      uuid        NOT NULL REFERENCES auth.users (id),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  consumed_at  timestamptz
);
