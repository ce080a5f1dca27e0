package org.gatehouse.auth.domain;

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
 * are found by their SHA-256, which is then compared in constant time (the set holds no token in clear).
 */
public final class Appservices {
  private final List<AppserviceRegistration> registrations;
  private final Map<String, AppserviceRegistration> byTokenDigest;
  private final String digest;

  public Appservices(List<AppserviceRegistration> registrations) {
    this.registrations = List.copyOf(registrations);
    this.byTokenDigest = registrations.stream().collect(Collectors.toUnmodifiableMap(
        AppserviceRegistration::asTokenDigest, Function.identity()));
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
    String digest = AppserviceRegistration.digestOf(token);
    AppserviceRegistration found = byTokenDigest.get(digest);
    if (found == null || !MessageDigest.isEqual(found.asTokenDigest().getBytes(StandardCharsets.US_ASCII),
        digest.getBytes(StandardCharsets.US_ASCII))) {
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
