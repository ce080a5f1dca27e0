package org.gatehouse.common.module;

import io.vertx.core.Deployable;
import java.util.Map;
import java.util.Optional;
import org.gatehouse.common.config.ConfigNode;

/**
 * One bounded domain of Gatehouse (auth, rendezvous, admin) as the launcher sees it: its configuration section,
 * its migrations ({@code db/migration/<name>/}), what it adds to {@code /versions}, and its verticle.
 *
 * @param <C> the module's typed configuration
 */
public interface GatehouseModule<C> {
  /** The module name: its configuration section, its migrations folder and its schema. */
  String name();

  /** Reads and validates the module's section; throws {@code ConfigException} naming the key on bad input. */
  C configure(ConfigNode section, NodeSettings node);

  /** The {@code unstable_features} of {@code /_matrix/client/versions} this module implements. */
  default Map<String, Boolean> unstableFeatures(C config) {
    return Map.of();
  }

  /**
   * What this module adds to the node settings that the modules configured after it see (the connector module
   * says a homeserver is kept in step). Modules are configured in deployment order.
   */
  default NodeSettings contribute(C config, NodeSettings node) {
    return node;
  }

  /** Whether the module runs with this configuration; an optional module left unconfigured is not deployed. */
  default boolean enabled(C config) {
    return true;
  }

  /** The verticle that runs the module; deployed once per node. */
  Deployable verticle(C config, ModuleContext context);

  /**
   * What the module serves on a node started for a command-line command ({@link ModuleContext#forCommand}), if
   * anything: services on the bus, which commands reach through the module's contract. None by default.
   */
  default Optional<Deployable> commandVerticle(C config, ModuleContext context) {
    return Optional.empty();
  }
}
