package org.gatehouse.auth.store;

import java.util.UUID;

/** A token just stored: its id and its plaintext, which exists only here and in the response (the store keeps a digest). */
public record NewToken(UUID id, String token) {
}
