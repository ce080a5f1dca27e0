-- Moderation state of accounts (MSC4323): only accounts that are or were suspended or locked have a row.
CREATE SEQUENCE admin.account_status_version;

CREATE TABLE admin.account_status (
  user_id      text        PRIMARY KEY,
  suspended    boolean     NOT NULL DEFAULT false,
  locked       boolean     NOT NULL DEFAULT false,
  -- From admin.account_status_version: nodes keep the newest version of each account's status.
  version      bigint      NOT NULL,
  updated_at   timestamptz NOT NULL,
  updated_by   text        NOT NULL,
  reason       text
);
CREATE INDEX account_status_restricted ON admin.account_status (user_id) WHERE suspended OR locked;
