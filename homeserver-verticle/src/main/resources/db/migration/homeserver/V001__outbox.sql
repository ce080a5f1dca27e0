-- The homeserver connector owns everything in this schema; no other module reads it.
CREATE SCHEMA IF NOT EXISTS homeserver;

-- Calls to the homeserver that may follow the answer of the action that caused them, kept until the homeserver
-- takes them. One row is one call: the operation is the internal API's endpoint name (or 'reconcile'), the body
-- exactly what it takes. Rows of one account are sent in id order; a failed row waits next_attempt_at, and so do
-- the account's later rows. A row the homeserver refuses for good keeps failed_at and its error for inspection.
CREATE TABLE homeserver.outbox (
  id              bigserial   PRIMARY KEY,
  operation       text        NOT NULL,
  localpart       text,
  body            jsonb       NOT NULL,
  created_at      timestamptz NOT NULL,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  failed_at       timestamptz
);

CREATE INDEX outbox_pending_by_account ON homeserver.outbox (localpart, id) WHERE failed_at IS NULL;
CREATE INDEX outbox_pending_due ON homeserver.outbox (next_attempt_at) WHERE failed_at IS NULL;
-- One pending reconciliation at a time: a node starting while one is queued does not queue another.
CREATE UNIQUE INDEX outbox_one_reconcile ON homeserver.outbox (operation)
  WHERE operation = 'reconcile' AND failed_at IS NULL;

-- Which node works the outbox: one at a time across the cluster. The holder renews its lease while it runs; when
-- it stops renewing (stopped, crashed, cut off) another node takes over once the lease has lapsed.
CREATE TABLE homeserver.outbox_lease (
  id         integer     PRIMARY KEY CHECK (id = 1),
  holder     text,
  expires_at timestamptz NOT NULL
);
INSERT INTO homeserver.outbox_lease (id, holder, expires_at) VALUES (1, NULL, 'epoch');
