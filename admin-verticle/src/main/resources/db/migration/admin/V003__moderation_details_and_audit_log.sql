-- Who changed each restriction last, when and why: GET /admin/suspend|lock answers them for the current state.
-- The columns of V002 (updated_at, updated_by, reason) keep describing the last change of either restriction.
ALTER TABLE admin.account_status
  ADD COLUMN suspension_changed_at timestamptz,
  ADD COLUMN suspension_changed_by text,
  ADD COLUMN suspension_reason     text,
  ADD COLUMN lock_changed_at       timestamptz,
  ADD COLUMN lock_changed_by       text,
  ADD COLUMN lock_reason           text;

-- Every administrative action, append-only. Suspensions and locks are written in the same transaction as the
-- status change; actions carried out by the auth module (create, admin flag, deactivate, end session, reload of
-- the appservice registrations) after it confirmed them.
CREATE TABLE admin.audit_log (
  id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text        NOT NULL,
  -- The user acted on; null for actions on the deployment (reloading the appservice registrations).
  target  text,
  action  text        NOT NULL CHECK (action IN ('suspend', 'unsuspend', 'lock', 'unlock', 'create_user',
                                                 'grant_admin', 'revoke_admin', 'deactivate', 'end_session',
                                                 'reload_appservices')),
  reason  text,
  -- Action-specific facts, e.g. {"version": 12} for a status change or {"session_id": "..."}.
  details jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target ON admin.audit_log (target, id);
CREATE INDEX audit_log_actor ON admin.audit_log (actor, id);
