package org.gatehouse.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the YAML configuration file and applies environment overrides.
 *
 * <p>Override scheme: {@code GATEHOUSE_} followed by the key path in upper case, with {@code __} (two
 * underscores) between levels. {@code GATEHOUSE_HTTP__PORT=8081} sets {@code http.port};
 * {@code GATEHOUSE_RENDEZVOUS__SESSION_LIFETIME=180s} sets {@code rendezvous.session_lifetime}. Lists are
 * comma-separated. An override of a key that does not exist is refused like a misspelled key in the file.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "GATEHOUSE_";

  private ConfigLoader() {
  }

  /** Loads {@code file} (may be null for "defaults only") and applies the overrides found in {@code env}. */
  public static ConfigNode load(Path file, Map<String, String> env) {
    Map<String, Object> tree = file == null ? new LinkedHashMap<>() : readYaml(file);
    Map<String, String> origins = new LinkedHashMap<>();
    // Sorted so that the outcome does not depend on the environment's iteration order.
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX) && e.getKey().length() > ENV_PREFIX.length()) {
        applyOverride(tree, e.getKey(), e.getValue(), origins);
      }
    }
    return new ConfigNode("", tree, origins);
  }

  /** Parses YAML text; used for files and for the appservice registration files. */
  public static Map<String, Object> parseYaml(String text, String sourceName) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    try {
      Object root = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
          options, new StrictBooleans()).load(text);
      return asMapping(root, sourceName);
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      String where = mark == null ? sourceName : sourceName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
      throw new ConfigException(where, "not valid YAML: " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(sourceName, "not valid YAML: " + oneLine(e.getMessage()));
    }
  }

  /**
   * YAML 1.1 reads {@code on}, {@code off}, {@code yes} and {@code no} as booleans, so {@code mode: off} would
   * arrive as {@code false}. Only {@code true} and {@code false} are booleans here, as in YAML 1.2.
   */
  private static final class StrictBooleans extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(Tag.INT, Pattern.compile("^(?:[-+]?0|[-+]?[1-9][0-9]*)$"), "-+0123456789");
      addImplicitResolver(Tag.FLOAT, Pattern.compile("^[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
          "-+0123456789.");
      addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL| )$"), "~nN\0");
      addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
    }
  }

  private static Map<String, Object> readYaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder text = new StringBuilder();
      char[] buf = new char[8192];
      for (int n; (n = reader.read(buf)) > 0; ) {
        text.append(buf, 0, n);
      }
      return parseYaml(text.toString(), file.toString());
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "configuration file not found");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read configuration file: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMapping(Object root, String sourceName) {
    if (root == null) {
      return new LinkedHashMap<>();
    }
    if (!(root instanceof Map)) {
      throw new ConfigException(sourceName, "expected a mapping of keys at the top level");
    }
    for (Object key : ((Map<Object, Object>) root).keySet()) {
      if (!(key instanceof String)) {
        throw new ConfigException(sourceName, "key " + key + " is not a string");
      }
    }
    return new LinkedHashMap<>((Map<String, Object>) root);
  }

  @SuppressWarnings("unchecked")
  private static void applyOverride(Map<String, Object> tree, String variable, String value, Map<String, String> origins) {
    String[] parts = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__");
    Map<String, Object> node = tree;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      path.append(parts[i]).append('.');
      Object child = node.get(parts[i]);
      if (child == null) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      } else if (!(child instanceof Map)) {
        throw new ConfigException(path.substring(0, path.length() - 1) + " (from " + variable + ")",
            "is not a mapping, so it has no key " + parts[i + 1]);
      } else {
        // Copy so that overriding does not mutate a shared structure from the YAML parser.
        child = new LinkedHashMap<>((Map<String, Object>) child);
        node.put(parts[i], child);
      }
      node = (Map<String, Object>) child;
    }
    String leaf = parts[parts.length - 1];
    node.put(leaf, value);
    origins.put(path + leaf, variable);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
