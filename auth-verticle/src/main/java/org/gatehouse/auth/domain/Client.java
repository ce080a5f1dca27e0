package org.gatehouse.auth.domain;

/** A registered (or configured) OAuth client; the secret is only ever held as a hash. */
public record Client(String clientId, ClientMetadata metadata, byte[] secretHash, boolean isStatic,
                     boolean mayIntrospect) {
}
