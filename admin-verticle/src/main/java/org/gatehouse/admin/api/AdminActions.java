package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Function;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.http.MatrixError;

/**
 * The skeleton the admin API's operations share: resolve the target user named in the path (refusing yourself where
 * that matters), act through the auth module, audit what was done, answer with the user as the API shows it. Each
 * handler keeps only its own checks and its call.
 */
final class AdminActions {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;
  private final ModerationStore moderation;
  private final AuditTrail audit;
  private final Clock clock;

  AdminActions(LocalUserIds userIds, AuthAccounts accounts, ModerationStore moderation, AuditTrail audit, Clock clock) {
    this.userIds = userIds;
    this.accounts = accounts;
    this.moderation = moderation;
    this.audit = audit;
    this.clock = clock;
  }

  AuthAccounts accounts() {
    return accounts;
  }

  ModerationStore moderation() {
    return moderation;
  }

  /** The {@code userId} of the path, a user of this server; else 400 {@code M_INVALID_PARAM}, thrown. */
  String target(RoutingContext ctx) {
    return userIds.requireLocal(ctx.pathParam("userId"));
  }

  /** As {@link #target}, and never the caller: that is 403 {@code M_FORBIDDEN} with {@code refusal}, thrown. */
  String targetOtherThanCaller(RoutingContext ctx, String refusal) {
    String userId = target(ctx);
    if (userId.equals(caller(ctx))) {
      throw MatrixError.forbidden(refusal);
    }
    return userId;
  }

  /** The administrator making the call. */
  static String caller(RoutingContext ctx) {
    return ApiCalls.caller(ctx).userId();
  }

  /**
   * Writes the caller's audit entry of {@code action} on {@code target} (null: on the deployment), stamped now; then
   * completes with {@code result}. A failed write does not fail the action ({@link AuditTrail}).
   */
  <T> Future<T> audited(RoutingContext ctx, String target, AuditAction action, String reason, JsonObject details,
                        T result) {
    return audit.record(AuditEntry.of(clock.instant(), caller(ctx), target, action, reason, details)).map(result);
  }

  /**
   * {@code {"<field>": [...]}} with what {@code list} answers for {@code userId}, once auth confirmed the account
   * exists: an unknown user is 404 {@code M_NOT_FOUND}, not an empty list.
   */
  Future<JsonObject> listOf(String userId, String field, Function<String, Future<JsonArray>> list) {
    return accounts.get(userId).compose(account -> list.apply(userId)).map(items -> new JsonObject().put(field, items));
  }

  /** The account with the restrictions recorded for it, as the API shows a user. */
  Future<JsonObject> view(AccountInfo account) {
    return moderation.get(account.userId()).map(state -> UserViews.of(account, state));
  }
}
