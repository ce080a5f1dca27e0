package org.gatehouse.admin.domain;

/**
 * Which audit entries to read, newest first.
 *
 * @param before only entries with a smaller id (the page token), or null for the newest
 * @param target only entries about this user, or null
 * @param actor only entries by this administrator, or null
 * @param action only this action, or null
 */
public record AuditQuery(Long before, int limit, String target, String actor, AuditAction action) {
}
