-- The audit log also records display names set through the admin API.
ALTER TABLE admin.audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE admin.audit_log ADD CONSTRAINT audit_log_action_check
  CHECK (action IN ('suspend', 'unsuspend', 'lock', 'unlock', 'create_user', 'grant_admin', 'revoke_admin',
                    'deactivate', 'end_session', 'reload_appservices', 'reconcile_homeserver', 'set_display_name'));
