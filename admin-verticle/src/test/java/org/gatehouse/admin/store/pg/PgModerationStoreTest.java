package org.gatehouse.admin.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.gatehouse.admin.AdminModule;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.AuditQuery;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.ModerationChange;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.domain.RestrictionState;
import org.gatehouse.admin.store.ModerationStore.Applied;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Moderation state on PostgreSQL: each restriction with who changed it, when and why; a change that changes nothing
 * writes nothing; versions grow; the audit entry is written with the change; the restricted listings.
 */
@ExtendWith(VertxExtension.class)
class PgModerationStoreTest {
  static final Instant AT = Instant.parse("2030-01-02T03:04:05.123456Z");
  static final String ALICE = "@alice:test";

  PgModerationStore store;
  PgAuditLog audit;

  @BeforeEach
  void start(Vertx vertx) {
    Pool pool = TestPostgres.newMigratedPool(vertx, AdminModule.NAME);
    store = new PgModerationStore(pool);
    audit = new PgAuditLog(pool);
  }

  private Applied apply(String userId, Restriction restriction, boolean on, Instant at) {
    return store.apply(new ModerationChange(userId, restriction, on, "@admin:test", "reason " + at.getEpochSecond(), at))
        .await();
  }

  private List<AuditEntry> auditOf(String userId) {
    return audit.read(new AuditQuery(null, 100, userId, null, null)).await().items();
  }

  @Test
  void anAccountNobodyRestrictedHasNoRecord() {
    assertThat(store.get(ALICE).await()).isEqualTo(Moderation.none(ALICE));
    assertThat(store.get(ALICE).await().recorded()).isFalse();
  }

  @Test
  void aRestrictionIsStoredWithWhoWhenAndWhyAndAuditedWithItsVersion() {
    Applied suspended = apply(ALICE, Restriction.SUSPENSION, true, AT);
    assertThat(suspended.changed()).isTrue();
    Moderation state = suspended.moderation();
    assertThat(state.suspension()).isEqualTo(new RestrictionState(true, AT, "@admin:test", "reason " + AT.getEpochSecond()));
    assertThat(state.lock()).isEqualTo(RestrictionState.NEVER_SET);
    assertThat(state.version()).isPositive();
    assertThat(store.get(ALICE).await()).isEqualTo(state);
    assertThat(auditOf(ALICE)).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo(AuditAction.SUSPEND);
      assertThat(entry.at()).isEqualTo(AT);
      assertThat(entry.actor()).isEqualTo("@admin:test");
      assertThat(entry.reason()).isEqualTo("reason " + AT.getEpochSecond());
      assertThat(entry.details()).isEqualTo(new JsonObject().put("version", state.version()));
    });
  }

  @Test
  void aChangeToWhatIsAlreadySoWritesNothing() {
    assertThat(apply(ALICE, Restriction.LOCK, false, AT).changed()).isFalse();
    assertThat(store.get(ALICE).await().recorded()).isFalse();
    Moderation locked = apply(ALICE, Restriction.LOCK, true, AT).moderation();
    Applied again = apply(ALICE, Restriction.LOCK, true, AT.plusSeconds(60));
    assertThat(again.changed()).isFalse();
    assertThat(again.moderation()).isEqualTo(locked);
    assertThat(auditOf(ALICE)).hasSize(1);
  }

  @Test
  void eachRestrictionKeepsItsOwnHistoryAndVersionsGrow() {
    Moderation suspended = apply(ALICE, Restriction.SUSPENSION, true, AT).moderation();
    Moderation locked = apply(ALICE, Restriction.LOCK, true, AT.plusSeconds(1)).moderation();
    assertThat(locked.suspension()).isEqualTo(suspended.suspension());
    assertThat(locked.lock().changedAt()).isEqualTo(AT.plusSeconds(1));
    assertThat(locked.version()).isGreaterThan(suspended.version());

    Moderation lifted = apply(ALICE, Restriction.SUSPENSION, false, AT.plusSeconds(2)).moderation();
    assertThat(lifted.suspension()).isEqualTo(new RestrictionState(false, AT.plusSeconds(2), "@admin:test",
        "reason " + AT.plusSeconds(2).getEpochSecond()));
    assertThat(lifted.lock()).isEqualTo(locked.lock());
    assertThat(lifted.version()).isGreaterThan(locked.version());
    assertThat(store.get(ALICE).await()).isEqualTo(lifted);
    assertThat(auditOf(ALICE)).extracting(AuditEntry::action)
        .containsExactly(AuditAction.UNSUSPEND, AuditAction.LOCK, AuditAction.SUSPEND);
  }

  @Test
  void changesOfOneAccountAtOnceAreAppliedOneAfterTheOther() {
    // Open the pool's connections first, so that the changes really run side by side.
    Future.all(IntStream.range(0, 8).mapToObj(i -> store.get("@warm" + i + ":test")).toList()).await();
    List<Future<Applied>> all = IntStream.range(0, 8).mapToObj(i -> store.apply(
        new ModerationChange(ALICE, Restriction.SUSPENSION, true, "@admin" + i + ":test", null, AT))).toList();
    Future.all(all).await();
    assertThat(all).filteredOn(applied -> applied.result().changed()).hasSize(1);
    assertThat(auditOf(ALICE)).hasSize(1);
  }

  @Test
  void severalAccountsAreReadAtOnceEveryOneAnswered() {
    Moderation alice = apply(ALICE, Restriction.LOCK, true, AT).moderation();
    assertThat(store.get(List.of(ALICE, "@bob:test")).await())
        .containsEntry(ALICE, alice).containsEntry("@bob:test", Moderation.none("@bob:test")).hasSize(2);
  }

  @Test
  void theRestrictedAreListedAndAccountsFreedAgainAreNot() {
    Moderation suspended = apply(ALICE, Restriction.SUSPENSION, true, AT).moderation();
    Moderation locked = apply("@bob:test", Restriction.LOCK, true, AT).moderation();
    apply("@carol:test", Restriction.LOCK, true, AT);
    apply("@carol:test", Restriction.LOCK, false, AT);
    assertThat(store.restricted().await()).containsExactlyInAnyOrder(suspended.toStatus(), locked.toStatus());
    assertThat(store.restricted().await()).extracting(AccountStatus::userId).doesNotContain("@carol:test");
  }

  @Test
  void restrictedUserIdsAreOrderedByLocalpartAndPaged() {
    // By localpart, as auth lists accounts: "a" before "a.b", although "@a.b:test" sorts before "@a:test" as text.
    for (String userId : List.of("@a.b:test", "@b:test", "@a:test", "@c:test")) {
      apply(userId, Restriction.SUSPENSION, true, AT);
    }
    apply("@locked:test", Restriction.LOCK, true, AT);
    assertThat(store.restrictedUserIds(Restriction.SUSPENSION, null, 10).await())
        .containsExactly("@a:test", "@a.b:test", "@b:test", "@c:test");
    assertThat(store.restrictedUserIds(Restriction.SUSPENSION, "@a.b:test", 2).await())
        .containsExactly("@b:test", "@c:test");
    assertThat(store.restrictedUserIds(Restriction.SUSPENSION, null, 1).await()).containsExactly("@a:test");
    assertThat(store.restrictedUserIds(Restriction.LOCK, null, 10).await()).containsExactly("@locked:test");
  }
}
