-- Whether the authorization request carried redirect_uri: the token request must repeat it only then
-- (RFC 6749 section 4.1.3). Codes issued before this column existed keep the old rule (it must be sent).
ALTER TABLE auth.authorization_codes ADD COLUMN redirect_uri_sent boolean NOT NULL DEFAULT true;
