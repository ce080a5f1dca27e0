-- The audit log also records reconciliations with the homeserver started through the admin API.
ALTER TABLE admin.audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE admin.audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('suspend', 'unsuspend', 'lock', 'unlock', 'create_user', 'grant_admin', 'revoke_admin',
                    'deactivate', 'end_session', 'reload_appservices', 'reconcile_homeserver'));
