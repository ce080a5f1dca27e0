package org.gatehouse.auth.appservice;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gatehouse.auth.crypto.Digests;

/**
 * One immutable set of registrations with a digest, so nodes can tell whether they hold the same set. Tokens
 * are found by their SHA-256 and then compared in constant time.
 */
public final class Appservices {
  private final List<AppserviceRegistration> registrations;
  private final Map<String, AppserviceRegistration> byTokenDigest;
  private final String digest;

  public Appservices(List<AppserviceRegistration> registrations) {
    this.registrations = List.copyOf(registrations);
    this.byTokenDigest = registrations.stream().collect(Collectors.toUnmodifiableMap(
        r -> HexFormat.of().formatHex(Digests.sha256(r.asToken())), Function.identity()));
    StringBuilder canonical = new StringBuilder();
    registrations.stream().sorted((a, b) -> a.id().compareTo(b.id()))
        .forEach(r -> canonical.append(r.toJson().put("source", null).encode()).append('\n'));
    this.digest = HexFormat.of().formatHex(Digests.sha256(canonical.toString()));
  }

  public static Appservices none() {
    return new Appservices(List.of());
  }

  public List<AppserviceRegistration> registrations() {
    return registrations;
  }

  /** Identifies the set's content (not where it came from). */
  public String digest() {
    return digest;
  }

  public Optional<AppserviceRegistration> byToken(String token) {
    AppserviceRegistration found = byTokenDigest.get(HexFormat.of().formatHex(Digests.sha256(token)));
    if (found == null || !MessageDigest.isEqual(found.asToken().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    return Optional.of(found);
  }

  /** Another appservice than {@code appserviceId} that claims {@code userId} exclusively, if any. */
  public Optional<AppserviceRegistration> exclusiveOwnerOtherThan(String appserviceId, String userId) {
    return registrations.stream().filter(r -> !r.id().equals(appserviceId) && r.claimsExclusively(userId)).findFirst();
  }

  /** The appservice that claims {@code userId} exclusively, if any. */
  public Optional<AppserviceRegistration> exclusiveOwnerOf(String userId) {
    return registrations.stream().filter(r -> r.claimsExclusively(userId)).findFirst();
  }
}
