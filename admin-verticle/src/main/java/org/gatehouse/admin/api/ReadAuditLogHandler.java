package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditQuery;
import org.gatehouse.admin.store.AuditLog;

/** {@code GET /_gatehouse/admin/v1/audit?from&limit&target&actor&action}: newest first. */
final class ReadAuditLogHandler implements Handler<RoutingContext> {
  private final AuditLog log;

  ReadAuditLogHandler(AuditLog log) {
    this.log = log;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String from = ApiCalls.query(ctx, "from");
    AuditQuery query = new AuditQuery(from == null ? null : Long.valueOf(from),
        ApiCalls.queryInt(ctx, "limit", ListUsersHandler.DEFAULT_LIMIT), ApiCalls.query(ctx, "target"),
        ApiCalls.query(ctx, "actor"), AuditAction.fromWireName(ApiCalls.query(ctx, "action")));
    ApiCalls.answer(ctx, 200, log.read(query).map(page -> {
      JsonArray entries = new JsonArray();
      page.items().forEach(e -> entries.add(e.toJson()));
      JsonObject body = new JsonObject().put("entries", entries);
      if (page.nextToken() != null) {
        body.put("next_token", page.nextToken());
      }
      return body;
    }));
  }
}
