package org.gatehouse.server.config;

import org.gatehouse.common.config.ConfigNode;

/** {@code logging}: the log level and whether the access log is written. */
public record LoggingConfig(Level level, boolean accessLog) {
  /** Log levels an operator may choose. */
  public enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

  static LoggingConfig read(ConfigNode node) {
    return new LoggingConfig(node.choice("level", Level.INFO), node.bool("access_log", true));
  }
}
