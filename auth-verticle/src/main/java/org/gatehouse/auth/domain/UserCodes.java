package org.gatehouse.auth.domain;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * User codes (RFC 8628 §6.1): eight letters from an alphabet without vowels (no words, no 0/O or 1/I
 * confusion), shown as {@code BCDF-GHJK}; typed in any case, with or without the dash or spaces.
 */
public final class UserCodes {
  static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
  static final int LENGTH = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private UserCodes() {
  }

  public static String generate() {
    StringBuilder b = new StringBuilder(LENGTH + 1);
    for (int i = 0; i < LENGTH; i++) {
      if (i == LENGTH / 2) {
        b.append('-');
      }
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** The canonical form of what a user typed, or null if it cannot be a code. */
  public static String normalise(String typed) {
    if (typed == null) {
      return null;
    }
    String letters = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
    if (letters.length() != LENGTH || !letters.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
      return null;
    }
    return letters.substring(0, LENGTH / 2) + "-" + letters.substring(LENGTH / 2);
  }
}
