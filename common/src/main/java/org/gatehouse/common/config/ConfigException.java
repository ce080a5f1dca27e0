package org.gatehouse.common.config;

/**
 * A configuration value that cannot be used. The message is one line naming the key (and where the value
 * came from) and what was expected, so start-up can print it as it is and exit.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem, null, false, false);
    this.key = key;
  }

  /** The dotted path of the offending key, e.g. {@code http.port}. */
  public String key() {
    return key;
  }
}
