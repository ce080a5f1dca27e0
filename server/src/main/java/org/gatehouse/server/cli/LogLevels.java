package org.gatehouse.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.gatehouse.server.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/** Applies the {@code logging} section to logback once the configuration is read. */
final class LogLevels {
  private LogLevels() {
  }

  static void apply(LoggingConfig logging) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Level level = Level.toLevel(logging.level().name());
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    context.getLogger("org.gatehouse").setLevel(level);
    context.getLogger("gatehouse.access").setLevel(logging.accessLog() ? Level.INFO : Level.OFF);
  }
}
