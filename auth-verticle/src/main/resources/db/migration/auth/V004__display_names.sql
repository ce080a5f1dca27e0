-- A display name given when the account was made (sign-up page, admin API, command line) or set later through the
-- admin API; the homeserver keeps the profile people see, and Gatehouse tells it (provision_user, set_displayname).
ALTER TABLE auth.users ADD COLUMN display_name text;
