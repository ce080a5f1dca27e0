package org.gatehouse.admin.store;

import io.vertx.core.Future;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.AuditQuery;
import org.gatehouse.admin.domain.Page;

/** The append-only log of administrative actions. */
public interface AuditLog {
  /** Writes {@code entry}; the answer carries its id. */
  Future<AuditEntry> append(AuditEntry entry);

  /** A page of entries, newest first; the page token is the id to continue before. */
  Future<Page<AuditEntry>> read(AuditQuery query);
}
