package org.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the homeserver's {@code /versions} and Gatehouse's unstable features make one answer. */
class VersionsRouteTest {
  static final JsonObject SYNAPSE = new JsonObject()
      .put("versions", List.of("r0.6.1", "v1.15"))
      .put("unstable_features", new JsonObject()
          .put("org.matrix.msc3575", true)
          .put("org.matrix.msc4108", true)
          .put("io.element.msc4388", false)
          .put("uk.timedout.msc4323", false));

  @Test
  void theHomeserversVersionsAndFeaturesWithGatehousesServedFeaturesWinning() {
    JsonObject merged = VersionsRoute.merge(SYNAPSE, Map.of("uk.timedout.msc4323", true, "io.element.msc4388", true,
        "org.matrix.msc4108", true));
    assertThat(merged.getJsonArray("versions").getList()).containsExactly("r0.6.1", "v1.15");
    assertThat(merged.getJsonObject("unstable_features")).isEqualTo(new JsonObject()
        .put("io.element.msc4388", true)
        .put("org.matrix.msc3575", true)
        .put("org.matrix.msc4108", true)
        .put("uk.timedout.msc4323", true));
    // The homeserver's answer is not changed in place (the connector may keep it for the next client).
    assertThat(SYNAPSE.getJsonObject("unstable_features").getBoolean("uk.timedout.msc4323")).isFalse();
  }

  @Test
  void aFeatureGatehouseTurnedOffKeepsTheHomeserversValueOrIsFalse() {
    JsonObject merged = VersionsRoute.merge(SYNAPSE, Map.of("org.matrix.msc4108", false, "io.element.msc4388", false,
        "org.example.gatehouse_only", false));
    JsonObject features = merged.getJsonObject("unstable_features");
    assertThat(features.getBoolean("org.matrix.msc4108")).as("Synapse's own delegation flag").isTrue();
    assertThat(features.getBoolean("io.element.msc4388")).isFalse();
    assertThat(features.getBoolean("org.example.gatehouse_only")).isFalse();
  }

  @Test
  void anAnswerWithoutFeaturesGetsGatehousesAndKeepsItsOtherFields() {
    JsonObject merged = VersionsRoute.merge(new JsonObject().put("versions", List.of("v1.15")).put("extra", "kept"),
        Map.of("uk.timedout.msc4323", true));
    assertThat(merged).isEqualTo(new JsonObject().put("versions", List.of("v1.15")).put("extra", "kept")
        .put("unstable_features", new JsonObject().put("uk.timedout.msc4323", true)));
  }
}
