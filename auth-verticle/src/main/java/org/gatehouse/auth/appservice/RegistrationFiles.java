package org.gatehouse.auth.appservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigLoader;
import org.gatehouse.common.config.ConfigNode;

/**
 * Reads and validates appservice registration files. Any problem — a missing field, a bad regular expression, an
 * id or token used twice — is one {@link ConfigException} naming the file and the field, so start-up (or a reload)
 * stops with one clear line.
 */
public final class RegistrationFiles {
  private RegistrationFiles() {
  }

  public static List<AppserviceRegistration> read(List<Path> files) {
    List<AppserviceRegistration> registrations = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    Map<String, String> asTokens = new HashMap<>();
    Map<String, String> hsTokens = new HashMap<>();
    for (Path file : files) {
      AppserviceRegistration r = read(file);
      String source = file.toString();
      requireUnique(ids, r.id(), source, "id");
      requireUnique(asTokens, r.asTokenDigest(), source, "as_token");
      requireUnique(hsTokens, r.hsTokenDigest(), source, "hs_token");
      registrations.add(r);
    }
    return List.copyOf(registrations);
  }

  static AppserviceRegistration read(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, "appservice registration file not found");
    } catch (IOException e) {
      throw new ConfigException(source, "cannot read appservice registration: " + e.getMessage());
    }
    ConfigNode node = ConfigNode.of(ConfigLoader.parseYaml(text, source));
    try {
      String id = node.requiredString("id");
      String asToken = node.requiredString("as_token");
      String hsToken = node.requiredString("hs_token");
      String sender = node.requiredString("sender_localpart");
      if (!UserIds.isValidLocalpart(sender)) {
        throw node.problem("sender_localpart", "not a valid localpart: " + sender);
      }
      if (asToken.length() < 16) {
        throw node.problem("as_token", "must be at least 16 characters long");
      }
      String url = node.optionalString("url").orElse(null);
      List<AppserviceRegistration.Namespace> users = new ArrayList<>();
      ConfigNode namespaces = node.section("namespaces");
      List<ConfigNode> entries = namespaces.sections("users");
      for (int i = 0; i < entries.size(); i++) {
        ConfigNode entry = entries.get(i);
        String regex = entry.requiredString("regex");
        try {
          users.add(new AppserviceRegistration.Namespace(regex, entry.bool("exclusive", false)));
        } catch (PatternSyntaxException e) {
          throw entry.problem("regex", "invalid regular expression: " + e.getDescription());
        }
      }
      return new AppserviceRegistration(id, url, AppserviceRegistration.digestOf(asToken),
          AppserviceRegistration.digestOf(hsToken), sender, users, node.bool("rate_limited", true),
          node.bool("io.element.msc4190", false), source);
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.key(), e.getMessage().substring(e.key().length() + 2));
    }
  }

  private static void requireUnique(Map<String, String> seen, String value, String source, String field) {
    String previous = seen.putIfAbsent(value, source);
    if (previous != null) {
      throw new ConfigException(source + ": " + field, "already used by " + previous);
    }
  }
}
