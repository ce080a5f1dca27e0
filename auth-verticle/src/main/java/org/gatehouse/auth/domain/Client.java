package org.gatehouse.auth.domain;

/** A registered (or configured) OAuth client; the secret is only ever held as a hash. */
public record Client(String clientId, ClientMetadata metadata, byte[] secretHash, boolean isStatic,
                     boolean mayIntrospect) {
  /** What a device this client signs in is called (Synapse lists it so): its default name, its URI, or its id. */
  public String deviceName() {
    String name = metadata.name(java.util.List.of());
    return name == null || name.isBlank() ? clientId : name;
  }
}
