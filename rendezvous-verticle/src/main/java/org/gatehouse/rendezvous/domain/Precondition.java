package org.gatehouse.rendezvous.domain;

import java.util.List;

/**
 * Which current token a write (or a conditional read) expects: the MSC4388 {@code sequence_token}, or the
 * entity tags of an MSC4108 {@code If-Match} / {@code If-None-Match} header, where {@code *} matches any token.
 *
 * @param tokens the acceptable tokens (without quotes)
 * @param any true for {@code *}
 */
public record Precondition(List<String> tokens, boolean any) {
  public static final Precondition ANY = new Precondition(List.of(), true);

  public Precondition {
    tokens = List.copyOf(tokens);
  }

  public static Precondition token(String token) {
    return new Precondition(List.of(token), false);
  }

  public boolean matches(String current) {
    return any || tokens.contains(current);
  }

  /** True when this names exactly one token, {@code token}. */
  public boolean isExactly(String token) {
    return !any && tokens.size() == 1 && tokens.get(0).equals(token);
  }
}
