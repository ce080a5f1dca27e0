package org.gatehouse.admin.api;

import io.vertx.core.Future;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits actions the auth module carried out for the admin API (creating an account, the admin flag,
 * deactivation, ending a session). They are written once auth confirmed the action; if the write fails the
 * action still happened, so the answer is still a success and the entry goes to the error log instead.
 */
final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditLog log;

  AuditTrail(AuditLog log) {
    this.log = log;
  }

  Future<Void> record(AuditEntry entry) {
    return log.append(entry).<Void>mapEmpty().recover(failure -> {
      LOG.error("audit entry not written: {} {} {} at {} reason={} details={}", entry.actor(), entry.action().wireName(),
          entry.target(), entry.at(), entry.reason(), entry.details().encode(), failure);
      return Future.succeededFuture();
    });
  }
}
