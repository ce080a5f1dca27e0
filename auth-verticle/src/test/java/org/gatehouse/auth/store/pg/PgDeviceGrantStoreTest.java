package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.DeviceGrant;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.DeviceGrantStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Device authorization grants on PostgreSQL: every field through each transition, found by device code digest, by id
 * and (while pending and unexpired) by user code, user codes unique among pending grants, and the transition lock.
 */
@ExtendWith(VertxExtension.class)
class PgDeviceGrantStoreTest {
  static final Instant CREATED = TestStores.START;
  static final Instant EXPIRES = CREATED.plus(Duration.ofMinutes(10));

  TestStores db;
  DeviceGrantStore grants;
  User alice;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    grants = db.stores.deviceGrants();
    alice = db.user("alice");
    db.client();
  }

  private DeviceGrant pending(String userCode, String deviceCode) {
    DeviceGrant grant = new DeviceGrant(UUID.randomUUID(), userCode, TestStores.CLIENT, "openid", DeviceGrant.State.PENDING,
        5, CREATED, EXPIRES, null, "192.0.2.1", "TV/1.0", null, null, null);
    grants.insert(grant, Digests.sha256(deviceCode)).await();
    return grant;
  }

  @Test
  void aPendingGrantComesBackWithEveryFieldByDeviceCodeIdAndUserCode() {
    DeviceGrant grant = pending("ABCD-EFGH", "device-code");
    assertThat(grants.byDeviceCode(Digests.sha256("device-code")).await()).contains(grant);
    assertThat(grants.byId(grant.id()).await()).contains(grant);
    assertThat(grants.pendingByUserCode("ABCD-EFGH").await()).contains(grant);
    assertThat(grants.byDeviceCode(Digests.sha256("other")).await()).isEmpty();
    assertThat(grants.byId(UUID.randomUUID()).await()).isEmpty();
    assertThat(grants.pendingByUserCode("ZZZZ-ZZZZ").await()).isEmpty();
  }

  @Test
  void everyTransitionIsStoredWhole() {
    DeviceGrant grant = pending("ABCD-EFGH", "device-code");
    Instant poll = CREATED.plusSeconds(5);
    DeviceGrant polled = grant.polled(poll, DeviceGrant.PollOutcome.SLOW_DOWN);
    grants.update(polled).await();
    assertThat(grants.byId(grant.id()).await()).contains(polled);
    assertThat(polled.intervalSeconds()).isEqualTo(10);

    DeviceGrant approved = polled.approve(alice.id(), CREATED.plusSeconds(20));
    grants.update(approved).await();
    assertThat(grants.byId(grant.id()).await()).contains(approved);

    DeviceGrant exchanged = approved.exchanged(db.session(alice, "TV"));
    grants.update(exchanged).await();
    assertThat(grants.byDeviceCode(Digests.sha256("device-code")).await()).contains(exchanged);

    DeviceGrant denied = pending("WXYZ-WXYZ", "second").deny(alice.id(), CREATED.plusSeconds(3));
    grants.update(denied).await();
    assertThat(grants.byId(denied.id()).await()).contains(denied);
  }

  @Test
  void onlyAPendingUnexpiredGrantIsFoundByItsUserCode() {
    DeviceGrant approved = pending("AAAA-AAAA", "a");
    grants.update(approved.approve(alice.id(), CREATED)).await();
    DeviceGrant denied = pending("BBBB-BBBB", "b");
    grants.update(denied.deny(alice.id(), CREATED)).await();
    DeviceGrant waiting = pending("CCCC-CCCC", "c");
    assertThat(grants.pendingByUserCode("AAAA-AAAA").await()).isEmpty();
    assertThat(grants.pendingByUserCode("BBBB-BBBB").await()).isEmpty();
    db.clock.advance(Duration.ofMinutes(10).minusNanos(1000));
    assertThat(grants.pendingByUserCode("CCCC-CCCC").await()).contains(waiting);
    db.clock.advance(Duration.ofNanos(1000));
    assertThat(grants.pendingByUserCode("CCCC-CCCC").await()).isEmpty();
  }

  @Test
  void aUserCodeIsUniqueAmongPendingGrantsOnly() {
    DeviceGrant first = pending("ABCD-EFGH", "first");
    assertThatThrownBy(() -> pending("ABCD-EFGH", "second")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> pending("WXYZ-WXYZ", "first")).hasMessageContaining("duplicate");
    grants.update(first.approve(alice.id(), CREATED)).await();
    DeviceGrant reused = pending("ABCD-EFGH", "third");
    assertThat(grants.pendingByUserCode("ABCD-EFGH").await()).contains(reused);
  }

  @Test
  void aLockedGrantStaysLockedUntilItsTransactionEnds() throws Exception {
    DeviceGrant grant = pending("ABCD-EFGH", "device-code");
    // A denial racing an approval waits for it, then reads the approved grant.
    Optional<DeviceGrant> seen = db.contended(tx -> tx.deviceGrants().lock(grant.id()),
        (tx, locked) -> tx.deviceGrants().update(locked.orElseThrow().approve(alice.id(), CREATED)),
        tx -> tx.deviceGrants().lock(grant.id())).await(30, TimeUnit.SECONDS);
    assertThat(seen.orElseThrow().state()).isEqualTo(DeviceGrant.State.APPROVED);
    assertThat(seen.orElseThrow().userId()).isEqualTo(alice.id());
  }
}
