package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.gatehouse.auth.domain.Device;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.DeviceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Matrix devices on PostgreSQL: created once, renamed, seen, and deleted alone, all together or when no session uses them. */
@ExtendWith(VertxExtension.class)
class PgDeviceStoreTest {
  TestStores db;
  DeviceStore devices;
  User alice;
  User bob;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    db = TestStores.fresh(vertx);
    devices = db.stores.devices();
    alice = db.user("alice");
    bob = db.user("bob");
  }

  @Test
  void aDeviceIsCreatedOnceWithEveryField() {
    assertThat(devices.ensure(alice.id(), "PHONE", "oauth:client", "Alice's phone").await()).isTrue();
    db.clock.advance(Duration.ofMinutes(1));
    assertThat(devices.ensure(alice.id(), "PHONE", "appservice:bridge", "Other name").await()).isFalse();
    assertThat(devices.get(alice.id(), "PHONE").await())
        .contains(new Device("PHONE", "Alice's phone", TestStores.START, "oauth:client", null, null));
    assertThat(devices.get(bob.id(), "PHONE").await()).isEmpty();
    assertThat(devices.get(alice.id(), "LAPTOP").await()).isEmpty();
  }

  @Test
  void aUsersDevicesAreListedInTheOrderTheyWereCreated() {
    devices.ensure(alice.id(), "B", "test", null).await();
    devices.ensure(alice.id(), "A", "test", null).await();
    db.clock.advance(Duration.ofSeconds(1));
    devices.ensure(alice.id(), "0", "test", null).await();
    devices.ensure(bob.id(), "BOB", "test", null).await();
    // Same creation time: by device ID.
    assertThat(devices.list(alice.id()).await()).extracting(Device::deviceId).containsExactly("A", "B", "0");
  }

  @Test
  void renamingAndBeingSeenChangeOnlyAnExistingDevice() {
    devices.ensure(alice.id(), "PHONE", "test", "old").await();
    assertThat(devices.rename(alice.id(), "PHONE", "new").await()).isTrue();
    assertThat(devices.rename(alice.id(), "NONE", "new").await()).isFalse();
    assertThat(devices.rename(bob.id(), "PHONE", "new").await()).isFalse();
    Instant seen = TestStores.START.plusSeconds(90);
    devices.touch(alice.id(), "PHONE", "192.0.2.7", seen).await();
    Device phone = devices.get(alice.id(), "PHONE").await().orElseThrow();
    assertThat(phone.displayName()).isEqualTo("new");
    assertThat(phone.lastSeenAt()).isEqualTo(seen);
    assertThat(phone.lastSeenIp()).isEqualTo("192.0.2.7");
    assertThat(phone.createdAt()).isEqualTo(TestStores.START);
  }

  @Test
  void aDeviceIsDeletedOnce() {
    devices.ensure(alice.id(), "PHONE", "test", null).await();
    assertThat(devices.delete(bob.id(), "PHONE").await()).isFalse();
    assertThat(devices.delete(alice.id(), "PHONE").await()).isTrue();
    assertThat(devices.delete(alice.id(), "PHONE").await()).isFalse();
    assertThat(devices.get(alice.id(), "PHONE").await()).isEmpty();
  }

  @Test
  void aDeviceAnOpenSessionUsesIsKeptUntilTheSessionIsFinished() {
    devices.ensure(alice.id(), "PHONE", "test", null).await();
    var session = db.session(alice, "PHONE");
    // Another user's session on a device of the same name does not count, nor does a finished one.
    db.session(bob, "PHONE");
    db.stores.sessions().finish(db.session(alice, "PHONE"), "test", TestStores.START).await();
    assertThat(devices.deleteIfUnused(alice.id(), "PHONE").await()).isFalse();
    db.stores.sessions().finish(session, "logout", TestStores.START).await();
    assertThat(devices.deleteIfUnused(alice.id(), "PHONE").await()).isTrue();
    assertThat(devices.get(alice.id(), "PHONE").await()).isEmpty();
    assertThat(devices.deleteIfUnused(alice.id(), null).await()).isFalse();
  }

  @Test
  void deletingAllOfAUsersDevicesNamesThemAndLeavesOthers() {
    devices.ensure(alice.id(), "PHONE", "test", null).await();
    devices.ensure(alice.id(), "LAPTOP", "test", null).await();
    devices.ensure(bob.id(), "BOB", "test", null).await();
    assertThat(devices.deleteAll(alice.id()).await()).containsExactlyInAnyOrder("PHONE", "LAPTOP");
    assertThat(devices.list(alice.id()).await()).isEmpty();
    assertThat(devices.deleteAll(alice.id()).await()).isEmpty();
    assertThat(devices.list(bob.id()).await()).extracting(Device::deviceId).containsExactly("BOB");
  }
}
