package org.gatehouse.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration tree with typed, validating readers.
 *
 * <p>Every reader records the key it read. After the typed records are built, {@link #rejectUnknownKeys()}
 * reports any key nobody asked for, which is how a misspelled key is caught instead of silently ignored.
 * Values may come from the YAML file or from an environment override; values from the environment arrive as
 * strings and are converted by the same readers, so both sources obey the same rules.
 *
 * <p>Kept instead of binding with jackson-dataformat-yaml, SmallRye Config or vertx-config: none of them says, in
 * an error, whether the value came from the file or from which environment variable, suggests the closest known
 * key for a misspelt one, or reads YAML 1.2 booleans (so {@code mode: off} stays the string {@code off}). Binding
 * the modules' records through Jackson while keeping this class for origins and unknown keys is possible; it would
 * shorten the per-module readers, not this class.
 */
public final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String path;
  private final Map<String, Object> values;
  private final Map<String, String> origins;
  private final Set<String> read = new LinkedHashSet<>();
  private final Map<String, ConfigNode> children = new LinkedHashMap<>();

  ConfigNode(String path, Map<String, Object> values, Map<String, String> origins) {
    this.path = path;
    this.values = values;
    this.origins = origins;
  }

  /** A node over an in-memory map (tests, defaults); keys are taken as written. */
  public static ConfigNode of(Map<String, Object> values) {
    return new ConfigNode("", values, Map.of());
  }

  public static ConfigNode empty() {
    return of(Map.of());
  }

  public String path() {
    return path;
  }

  /** The dotted key of a child of this node, as shown in messages. */
  public String keyOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public String requiredString(String key) {
    return optionalString(key).orElseThrow(() -> problem(key, "is required (a non-empty string)"));
  }

  public Optional<String> optionalString(String key) {
    Object raw = take(key);
    if (raw == null) {
      return Optional.empty();
    }
    if (raw instanceof Map || raw instanceof List) {
      throw problem(key, "expected a string, got " + describe(raw));
    }
    String value = String.valueOf(raw).trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Object raw = take(key);
    if (raw == null) {
      return defaultValue;
    }
    long value;
    if (raw instanceof Integer || raw instanceof Long) {
      value = ((Number) raw).longValue();
    } else if (raw instanceof String s && s.trim().matches("-?\\d{1,18}")) {
      value = Long.parseLong(s.trim());
    } else {
      throw problem(key, "expected an integer from " + min + " to " + max + ", got " + describe(raw));
    }
    if (value < min || value > max) {
      throw problem(key, "expected an integer from " + min + " to " + max + ", got " + value);
    }
    return (int) value;
  }

  public boolean bool(String key, boolean defaultValue) {
    Object raw = take(key);
    if (raw == null) {
      return defaultValue;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true":
          return true;
        case "false":
          return false;
        default:
          break;
      }
    }
    throw problem(key, "expected true or false, got " + describe(raw));
  }

  /**
   * A duration written with a unit: {@code 250ms}, {@code 120s}, {@code 10m}, {@code 1h}, {@code 30d}.
   * A bare number is refused because its unit would be a guess.
   */
  public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
    Object raw = take(key);
    if (raw == null) {
      return defaultValue;
    }
    String expected = "expected a duration from " + format(min) + " to " + format(max) + " such as 120s, 10m or 250ms";
    if (!(raw instanceof String)) {
      throw problem(key, expected + ", got " + describe(raw));
    }
    Matcher m = DURATION.matcher(((String) raw).trim());
    if (!m.matches()) {
      throw problem(key, expected + ", got " + describe(raw));
    }
    long amount = Long.parseLong(m.group(1));
    Duration value = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw problem(key, expected + ", got " + raw);
    }
    return value;
  }

  /** One of a fixed set of lower-case words, e.g. {@code off | open | authenticated}. */
  public <E extends Enum<E>> E choice(String key, E defaultValue) {
    Object raw = take(key);
    if (raw == null) {
      return defaultValue;
    }
    E[] constants = defaultValue.getDeclaringClass().getEnumConstants();
    List<String> names = new ArrayList<>();
    for (E constant : constants) {
      String name = constant.name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (name.equals(String.valueOf(raw).trim().toLowerCase(Locale.ROOT))) {
        return constant;
      }
    }
    throw problem(key, "expected one of " + String.join(", ", names) + ", got " + describe(raw));
  }

  /** A list of strings; from the environment, a comma-separated string. */
  public List<String> strings(String key, List<String> defaultValue) {
    Object raw = take(key);
    if (raw == null) {
      return defaultValue;
    }
    List<String> result = new ArrayList<>();
    if (raw instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          result.add(part.trim());
        }
      }
      return List.copyOf(result);
    }
    if (!(raw instanceof List<?> list)) {
      throw problem(key, "expected a list of strings, got " + describe(raw));
    }
    for (Object item : list) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw problem(key, "expected a list of strings, found an item " + describe(item));
      }
      result.add(String.valueOf(item));
    }
    return List.copyOf(result);
  }

  /** A list of strings, each checked by {@code parse}, which returns an error text or null. */
  public <T> List<T> strings(String key, List<T> defaultValue, Function<String, T> parse) {
    if (!has(key)) {
      take(key);
      return defaultValue;
    }
    List<T> parsed = new ArrayList<>();
    List<String> raw = strings(key, List.of());
    for (int i = 0; i < raw.size(); i++) {
      try {
        parsed.add(parse.apply(raw.get(i)));
      } catch (IllegalArgumentException e) {
        throw problem(key + "[" + i + "]", e.getMessage());
      }
    }
    return List.copyOf(parsed);
  }

  /** A nested mapping; absent means empty, so every key inside falls back to its default. */
  @SuppressWarnings("unchecked")
  public ConfigNode section(String key) {
    ConfigNode existing = children.get(key);
    if (existing != null) {
      return existing;
    }
    Object raw = take(key);
    Map<String, Object> map;
    if (raw == null) {
      map = Map.of();
    } else if (raw instanceof Map) {
      map = (Map<String, Object>) raw;
    } else {
      throw problem(key, "expected a mapping of keys, got " + describe(raw));
    }
    ConfigNode child = new ConfigNode(keyOf(key), map, childOrigins(key));
    children.put(key, child);
    return child;
  }

  /** A list of mappings, e.g. static OAuth clients. */
  @SuppressWarnings("unchecked")
  public List<ConfigNode> sections(String key) {
    Object raw = take(key);
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw problem(key, "expected a list of mappings, got " + describe(raw));
    }
    List<ConfigNode> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof Map)) {
        throw problem(key + "[" + i + "]", "expected a mapping of keys, got " + describe(item));
      }
      ConfigNode child = new ConfigNode(keyOf(key) + "[" + i + "]", (Map<String, Object>) item, Map.of());
      children.put(key + "[" + i + "]", child);
      result.add(child);
    }
    return result;
  }

  /** The keys present in this mapping, e.g. for free-form maps such as {@code unstable_features}. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** Every dotted key some reader asked for in this tree (leaves and sections alike). */
  public Set<String> keysRead() {
    Set<String> keys = new java.util.TreeSet<>();
    for (String key : read) {
      keys.add(keyOf(key));
    }
    children.values().forEach(child -> keys.addAll(child.keysRead()));
    return keys;
  }

  /** Every dotted key present in this tree's values, descending into mappings. */
  public Set<String> keysPresent() {
    Set<String> keys = new java.util.TreeSet<>();
    collect(path, values, keys);
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static void collect(String prefix, Map<String, Object> map, Set<String> keys) {
    map.forEach((k, v) -> {
      String key = prefix.isEmpty() ? k : prefix + "." + k;
      keys.add(key);
      if (v instanceof Map) {
        collect(key, (Map<String, Object>) v, keys);
      }
    });
  }

  /** An error about one of this node's keys, naming where the value came from. */
  public ConfigException problem(String key, String message) {
    String origin = origins.get(key);
    String shown = keyOf(key) + (origin == null ? "" : " (from " + origin + ")");
    return new ConfigException(shown, message);
  }

  /** Fails on the first key in this tree that no reader asked for, suggesting the closest known key. */
  public void rejectUnknownKeys() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        String suggestion = closest(key, read);
        throw problem(key, "unknown key" + (suggestion == null ? "" : " (did you mean " + keyOf(suggestion) + "?)"));
      }
    }
    for (ConfigNode child : children.values()) {
      child.rejectUnknownKeys();
    }
  }

  private Object take(String key) {
    read.add(key);
    return values.get(key);
  }

  private Map<String, String> childOrigins(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    String prefix = key + ".";
    origins.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        result.put(k.substring(prefix.length()), v);
      }
    });
    return result;
  }

  private static String describe(Object raw) {
    if (raw == null) {
      return "nothing";
    }
    if (raw instanceof Map) {
      return "a mapping";
    }
    if (raw instanceof List) {
      return "a list";
    }
    return "\"" + raw + "\"";
  }

  private static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 86400 == 0 && s > 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0 && s > 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  private static String closest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
