package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.Page;
import org.gatehouse.admin.domain.StatusFilter;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.auth.AccountInfo;

/**
 * Lists users across the two modules that know about them: the accounts are auth's, the restrictions the admin
 * module's. Accounts come in auth's order (by localpart); pages are keyset-paginated and the token is the user ID
 * of the last account the page examined, so filtered-out accounts are not examined twice.
 *
 * <ul>
 *   <li>no filter and {@code deactivated}: auth's own page, with the restrictions added;</li>
 *   <li>{@code suspended} and {@code locked}: the admin module's records of restricted accounts, in batches,
 *       keeping those auth knows as not deactivated;</li>
 *   <li>{@code active}: auth's non-deactivated accounts in batches, without the restricted ones.</li>
 * </ul>
 *
 * <p>A filtered page is built from at most {@link #MAX_BATCHES} batches, so that one request does a bounded amount
 * of work; it can then be shorter than asked while more follow (the answer still has a {@code next_token}).
 */
final class UserListing {
  static final int MAX_BATCHES = 10;

  private final AuthAccounts accounts;
  private final ModerationStore moderation;

  UserListing(AuthAccounts accounts, ModerationStore moderation) {
    this.accounts = accounts;
    this.moderation = moderation;
  }

  Future<Page<JsonObject>> list(String from, int limit, StatusFilter status) {
    if (status == null || status == StatusFilter.DEACTIVATED) {
      return accounts.list(from, limit, status == null ? null : true, null)
          .compose(page -> withModeration(page.accounts()).map(users -> new Page<>(users, page.nextFrom())));
    }
    return collect(status, from, limit, new ArrayList<>(), 1);
  }

  private Future<Page<JsonObject>> collect(StatusFilter status, String after, int limit, List<JsonObject> found,
                                           int batch) {
    return batch(status, after, limit).compose(examined -> {
      for (JsonObject user : examined.users()) {
        found.add(user);
        if (found.size() == limit) {
          return Future.succeededFuture(new Page<>(found, user.getString("user_id")));
        }
      }
      if (examined.lastExamined() == null) {
        return Future.succeededFuture(new Page<>(found, null));
      }
      if (batch == MAX_BATCHES) {
        return Future.succeededFuture(new Page<>(found, examined.lastExamined()));
      }
      return collect(status, examined.lastExamined(), limit, found, batch + 1);
    });
  }

  /**
   * The matching users of one batch, in order.
   *
   * @param lastExamined the user ID to continue after, or null when nothing follows
   */
  private record Batch(List<JsonObject> users, String lastExamined) {
  }

  private Future<Batch> batch(StatusFilter status, String after, int size) {
    if (status.restriction() != null) {
      return moderation.restrictedUserIds(status.restriction(), after, size).compose(ids -> ids.isEmpty()
          ? Future.succeededFuture(new Batch(List.of(), null))
          : accounts.list(null, ids.size(), false, ids)
              .compose(page -> matching(inOrderOf(ids, page.accounts()), status))
              .map(users -> new Batch(users, ids.size() < size ? null : ids.get(ids.size() - 1))));
    }
    return accounts.list(after, size, false, null).compose(page -> matching(page.accounts(), status)
        .map(users -> new Batch(users, page.nextFrom())));
  }

  /** {@code found} in the order of {@code ids}: the page token is a position in the admin module's ordering. */
  private static List<AccountInfo> inOrderOf(List<String> ids, List<AccountInfo> found) {
    Map<String, AccountInfo> byId = new HashMap<>();
    found.forEach(account -> byId.put(account.userId(), account));
    return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
  }

  private Future<List<JsonObject>> matching(List<AccountInfo> batch, StatusFilter status) {
    return moderation.get(batch.stream().map(AccountInfo::userId).toList()).map(states -> {
      List<JsonObject> users = new ArrayList<>();
      for (AccountInfo account : batch) {
        Moderation state = states.get(account.userId());
        if (status.matches(account.deactivated(), state)) {
          users.add(UserViews.of(account, state));
        }
      }
      return users;
    });
  }

  private Future<List<JsonObject>> withModeration(List<AccountInfo> page) {
    return moderation.get(page.stream().map(AccountInfo::userId).toList()).map(states -> {
      List<JsonObject> users = new ArrayList<>();
      page.forEach(account -> users.add(UserViews.of(account, states.get(account.userId()))));
      return users;
    });
  }
}
