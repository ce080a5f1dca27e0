package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.UserStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accounts on PostgreSQL: every field, the unique localpart, the filters, and the last active administrator kept. */
@ExtendWith(VertxExtension.class)
class PgUserStoreTest {
  TestStores db;
  UserStore users;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    users = db.stores.users();
  }

  @Test
  void anAccountComesBackWithEveryFieldByIdAndByLocalpart() {
    User created = users.create("alice", "$argon2id$hash", true, "bridge", "Alice A.").await();
    assertThat(created.localpart()).isEqualTo("alice");
    assertThat(created.passwordHash()).isEqualTo("$argon2id$hash");
    assertThat(created.admin()).isTrue();
    assertThat(created.appserviceId()).isEqualTo("bridge");
    assertThat(created.displayName()).isEqualTo("Alice A.");
    assertThat(created.createdAt()).isEqualTo(TestStores.START);
    assertThat(created.deactivatedAt()).isNull();
    assertThat(users.byId(created.id()).await()).contains(created);
    assertThat(users.byLocalpart("alice").await()).contains(created);

    User plain = users.create("bob", null, false, null).await();
    assertThat(plain.id()).isNotEqualTo(created.id());
    assertThat(plain.passwordHash()).isNull();
    assertThat(plain.appserviceId()).isNull();
    assertThat(plain.displayName()).isNull();
    assertThat(users.byLocalpart("carol").await()).isEmpty();
  }

  @Test
  void aTakenLocalpartIsADuplicateAndLeavesTheAccountAsItWas() {
    User first = users.create("alice", "first", false, null).await();
    assertThatThrownBy(() -> users.create("alice", "second", true, null).await())
        .isInstanceOf(UserStore.DuplicateException.class).hasMessageContaining("alice");
    assertThat(users.byLocalpart("alice").await()).contains(first);
  }

  @Test
  void theDisplayNameIsSetAndRemovedOnActiveAccountsOnly() {
    db.user("alice");
    assertThat(users.setDisplayName("alice", "Alice").await()).isTrue();
    assertThat(users.byLocalpart("alice").await().orElseThrow().displayName()).isEqualTo("Alice");
    assertThat(users.setDisplayName("alice", null).await()).isTrue();
    assertThat(users.byLocalpart("alice").await().orElseThrow().displayName()).isNull();

    assertThat(users.setDisplayName("nobody", "X").await()).isFalse();
    users.create("gone", null, false, null, "Gone").await();
    users.deactivate("gone").await();
    assertThat(users.setDisplayName("gone", "Back").await()).isFalse();
    assertThat(users.byLocalpart("gone").await().orElseThrow().displayName()).isEqualTo("Gone");
  }

  @Test
  void thePasswordHashIsReplaced() {
    User alice = users.create("alice", "old", false, null).await();
    users.setPasswordHash(alice.id(), "new").await();
    assertThat(users.byId(alice.id()).await().orElseThrow().passwordHash()).isEqualTo("new");
  }

  @Test
  void manyLocalpartsAreLookedUpAtOnceAndUnknownOnesLeftOut() {
    db.user("carol");
    db.user("alice");
    db.user("bob");
    assertThat(users.byLocalparts(List.of("carol", "nobody", "alice")).await())
        .extracting(User::localpart).containsExactly("alice", "carol");
    assertThat(users.byLocalparts(List.of()).await()).isEmpty();
  }

  @Test
  void pagesAreOrderedByLocalpartFromAfterTheGivenOneAndFilteredByDeactivation() {
    for (String localpart : List.of("dave", "alice", "carol", "bob")) {
      db.user(localpart);
    }
    users.deactivate("bob").await();
    assertThat(users.page(null, 3, null).await()).extracting(User::localpart).containsExactly("alice", "bob", "carol");
    assertThat(users.page("bob", 10, null).await()).extracting(User::localpart).containsExactly("carol", "dave");
    assertThat(users.page(null, 10, false).await()).extracting(User::localpart).containsExactly("alice", "carol", "dave");
    assertThat(users.page(null, 10, true).await()).extracting(User::localpart).containsExactly("bob");
  }

  @Test
  void deactivationHappensOnceAndKeepsItsTime() {
    db.user("alice");
    assertThat(users.deactivate("alice").await()).isTrue();
    db.clock.advance(Duration.ofMinutes(5));
    assertThat(users.deactivate("alice").await()).isFalse();
    User alice = users.byLocalpart("alice").await().orElseThrow();
    assertThat(alice.deactivated()).isTrue();
    assertThat(alice.deactivatedAt()).isEqualTo(TestStores.START);
    assertThat(users.deactivate("nobody").await()).isFalse();
  }

  @Test
  void theAdminFlagChangesOnActiveAccountsOnly() {
    db.user("alice");
    users.create("root", null, true, null).await();
    assertThat(users.setAdmin("alice", true).await()).isTrue();
    assertThat(users.byLocalpart("alice").await().orElseThrow().admin()).isTrue();
    assertThat(users.setAdmin("alice", false).await()).isTrue();
    assertThat(users.byLocalpart("alice").await().orElseThrow().admin()).isFalse();

    assertThat(users.setAdmin("nobody", true).await()).isFalse();
    db.user("gone");
    users.deactivate("gone").await();
    assertThat(users.setAdmin("gone", true).await()).isFalse();
    assertThat(users.byLocalpart("gone").await().orElseThrow().admin()).isFalse();
  }

  @Test
  void theLastActiveAdministratorIsNeitherDemotedNorDeactivated() {
    users.create("root", null, true, null).await();
    users.create("retired", null, true, null).await();
    users.deactivate("retired").await();
    // A deactivated administrator does not count: root is the last active one.
    assertThatThrownBy(() -> users.setAdmin("root", false).await()).isInstanceOf(UserStore.LastAdminException.class);
    assertThatThrownBy(() -> users.deactivate("root").await()).isInstanceOf(UserStore.LastAdminException.class);
    User root = users.byLocalpart("root").await().orElseThrow();
    assertThat(root.admin()).isTrue();
    assertThat(root.deactivated()).isFalse();

    users.create("second", null, true, null).await();
    assertThat(users.setAdmin("root", false).await()).isTrue();
    assertThatThrownBy(() -> users.deactivate("second").await()).isInstanceOf(UserStore.LastAdminException.class);
  }

  @Test
  void aRemovalOfAnAdministratorWaitsForAnotherOneInProgressAndThenSeesIt() throws Exception {
    users.create("root", null, true, null).await();
    users.create("other", null, true, null).await();
    // The first demotion holds the administrators' lock until its transaction commits; the deactivation of the
    // other administrator waits for it, then finds it would leave nobody.
    Future<Boolean> second = db.contended(tx -> tx.users().setAdmin("root", false),
        (tx, demoted) -> Future.succeededFuture(), tx -> tx.users().deactivate("other"));
    assertThatThrownBy(() -> second.await(30, TimeUnit.SECONDS)).isInstanceOf(UserStore.LastAdminException.class);
    assertThat(users.byLocalpart("root").await().orElseThrow().admin()).isFalse();
    assertThat(users.byLocalpart("other").await().orElseThrow().deactivated()).isFalse();
  }
}
