package org.gatehouse.admin.domain;

/** The two reversible restrictions an administrator can put on an account (MSC4323). */
public enum Restriction {
  /** MSC3823: the account may read but not change anything. */
  SUSPENSION("suspend", "suspended", AuditAction.SUSPEND, AuditAction.UNSUSPEND),
  /** MSC3939: the account may do nothing but log out; its sessions are kept. */
  LOCK("lock", "locked", AuditAction.LOCK, AuditAction.UNLOCK);

  private final String pathSegment;
  private final String field;
  private final AuditAction imposed;
  private final AuditAction lifted;

  Restriction(String pathSegment, String field, AuditAction imposed, AuditAction lifted) {
    this.pathSegment = pathSegment;
    this.field = field;
    this.imposed = imposed;
    this.lifted = lifted;
  }

  /** The segment of the MSC4323 path: {@code /admin/suspend/{userId}}, {@code /admin/lock/{userId}}. */
  public String pathSegment() {
    return pathSegment;
  }

  /** The boolean field of the MSC4323 bodies: {@code suspended}, {@code locked}. */
  public String field() {
    return field;
  }

  /** The audit action of turning this restriction on ({@code true}) or off. */
  public AuditAction auditAction(boolean on) {
    return on ? imposed : lifted;
  }
}
