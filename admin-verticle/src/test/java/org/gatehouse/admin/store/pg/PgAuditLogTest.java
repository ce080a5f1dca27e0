package org.gatehouse.admin.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import org.gatehouse.admin.AdminModule;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.AuditQuery;
import org.gatehouse.admin.domain.Page;
import org.gatehouse.common.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log on PostgreSQL: entries kept whole, every action accepted, read newest first by filter and page. */
@ExtendWith(VertxExtension.class)
class PgAuditLogTest {
  static final Instant AT = Instant.parse("2030-01-02T03:04:05.123456Z");

  PgAuditLog log;

  @BeforeEach
  void start(Vertx vertx) {
    log = new PgAuditLog(TestPostgres.newMigratedPool(vertx, AdminModule.NAME));
  }

  private AuditEntry append(String actor, String target, AuditAction action) {
    return log.append(AuditEntry.of(AT, actor, target, action, null, new JsonObject())).await();
  }

  private static AuditQuery all(int limit) {
    return new AuditQuery(null, limit, null, null, null);
  }

  @Test
  void anEntryComesBackWhole() {
    AuditEntry written = log.append(AuditEntry.of(AT, "@admin:test", "@alice:test", AuditAction.END_SESSION,
        "asked to", new JsonObject().put("session_id", "s1").put("n", 2))).await();
    AuditEntry deployment = log.append(AuditEntry.of(AT.plusSeconds(1), "@admin:test", null,
        AuditAction.RELOAD_APPSERVICES, null, new JsonObject())).await();
    assertThat(written.id()).isPositive();
    assertThat(deployment.id()).isGreaterThan(written.id());
    assertThat(log.read(all(10)).await().items()).containsExactly(deployment, written);
  }

  @Test
  void everyActionIsAccepted() {
    for (AuditAction action : AuditAction.values()) {
      append("@admin:test", "@alice:test", action);
    }
    assertThat(log.read(all(100)).await().items()).extracting(AuditEntry::action)
        .containsExactlyInAnyOrder(AuditAction.values());
  }

  @Test
  void entriesAreFilteredByTargetActorAndAction() {
    AuditEntry a = append("@admin:test", "@alice:test", AuditAction.SUSPEND);
    AuditEntry b = append("@admin:test", "@bob:test", AuditAction.SUSPEND);
    AuditEntry c = append("@other:test", "@alice:test", AuditAction.LOCK);
    assertThat(log.read(new AuditQuery(null, 10, "@alice:test", null, null)).await().items()).containsExactly(c, a);
    assertThat(log.read(new AuditQuery(null, 10, null, "@admin:test", null)).await().items()).containsExactly(b, a);
    assertThat(log.read(new AuditQuery(null, 10, null, null, AuditAction.LOCK)).await().items()).containsExactly(c);
    assertThat(log.read(new AuditQuery(null, 10, "@alice:test", "@admin:test", AuditAction.SUSPEND)).await().items())
        .containsExactly(a);
    assertThat(log.read(new AuditQuery(null, 10, "@carol:test", null, null)).await().items()).isEmpty();
  }

  @Test
  void pagesGoBackFromTheNewestAndTheLastOneHasNoToken() {
    List<AuditEntry> written = List.of(append("@a:test", "@t:test", AuditAction.LOCK),
        append("@a:test", "@t:test", AuditAction.UNLOCK), append("@a:test", "@t:test", AuditAction.LOCK));
    Page<AuditEntry> first = log.read(all(2)).await();
    assertThat(first.items()).containsExactly(written.get(2), written.get(1));
    assertThat(first.nextToken()).isEqualTo(Long.toString(written.get(1).id()));
    Page<AuditEntry> last = log.read(new AuditQuery(Long.valueOf(first.nextToken()), 2, null, null, null)).await();
    assertThat(last.items()).containsExactly(written.get(0));
    assertThat(last.nextToken()).isNull();
    assertThat(log.read(all(3)).await().nextToken()).isNull();
  }
}
