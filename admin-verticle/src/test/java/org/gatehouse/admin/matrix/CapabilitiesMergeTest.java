package org.gatehouse.admin.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How the homeserver's {@code /capabilities} and Gatehouse's moderation entries make one answer. */
class CapabilitiesMergeTest {
  static final JsonObject MODERATION = new JsonObject().put("suspend", true).put("lock", true);
  static final JsonObject SYNAPSE = new JsonObject().put("capabilities", new JsonObject()
      .put("m.change_password", new JsonObject().put("enabled", false))
      .put("m.room_versions", new JsonObject().put("default", "10")));

  @Test
  void anAdminSeesTheHomeserversCapabilitiesAndModeration() {
    assertThat(CapabilitiesHandler.merge(SYNAPSE, true)).isEqualTo(new JsonObject().put("capabilities",
        SYNAPSE.getJsonObject("capabilities").copy()
            .put(CapabilitiesHandler.STABLE, MODERATION).put(CapabilitiesHandler.UNSTABLE, MODERATION)));
    assertThat(SYNAPSE.getJsonObject("capabilities").containsKey(CapabilitiesHandler.STABLE)).isFalse();
  }

  @Test
  void anyoneElseSeesTheHomeserversAloneWithoutAModerationEntryEvenIfItNamedOne() {
    JsonObject claims = SYNAPSE.copy();
    claims.getJsonObject("capabilities").put(CapabilitiesHandler.STABLE, MODERATION)
        .put(CapabilitiesHandler.UNSTABLE, MODERATION);
    assertThat(CapabilitiesHandler.merge(claims, false)).isEqualTo(SYNAPSE);
  }

  @Test
  void standaloneTheAnswerIsGatehousesAlone() {
    assertThat(CapabilitiesHandler.merge(new JsonObject(), false))
        .isEqualTo(new JsonObject().put("capabilities", new JsonObject()));
    assertThat(CapabilitiesHandler.merge(new JsonObject(), true)).isEqualTo(new JsonObject().put("capabilities",
        new JsonObject().put(CapabilitiesHandler.STABLE, MODERATION).put(CapabilitiesHandler.UNSTABLE, MODERATION)));
  }
}
