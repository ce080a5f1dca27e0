package org.gatehouse.server.qrlogin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The messages the two devices exchange inside the secure channel to sign the new device in (MSC4108, "Message
 * reference"): only their shape, the devices decide when to send them.
 */
final class LoginMessages {
  static final String PROTOCOLS = "m.login.protocols";
  static final String PROTOCOL = "m.login.protocol";
  static final String PROTOCOL_ACCEPTED = "m.login.protocol_accepted";
  static final String SUCCESS = "m.login.success";
  static final String SECRETS = "m.login.secrets";
  static final String FAILURE = "m.login.failure";
  static final String DEVICE_AUTHORIZATION_GRANT = "device_authorization_grant";

  private LoginMessages() {
  }

  /** Existing device: the protocols it can sign a device in with, and the homeserver to use. */
  static JsonObject protocols(String homeserver) {
    return new JsonObject().put("type", PROTOCOLS).put("protocols", new JsonArray().add(DEVICE_AUTHORIZATION_GRANT))
        .put("homeserver", homeserver);
  }

  /** New device: it will use the device authorization grant, for this device ID, approved at these URIs. */
  static JsonObject protocol(String deviceId, String verificationUri, String verificationUriComplete) {
    JsonObject grant = new JsonObject().put("verification_uri", verificationUri);
    if (verificationUriComplete != null) {
      grant.put("verification_uri_complete", verificationUriComplete);
    }
    return new JsonObject().put("type", PROTOCOL).put("protocol", DEVICE_AUTHORIZATION_GRANT)
        .put(DEVICE_AUTHORIZATION_GRANT, grant).put("device_id", deviceId);
  }

  static JsonObject protocolAccepted() {
    return new JsonObject().put("type", PROTOCOL_ACCEPTED);
  }

  static JsonObject success() {
    return new JsonObject().put("type", SUCCESS);
  }

  /** Existing device: the E2EE secrets. Out of Gatehouse's scope; tests send stand-ins (the server never sees them). */
  static JsonObject secrets(String masterKey, String selfSigningKey, String userSigningKey) {
    return new JsonObject().put("type", SECRETS).put("cross_signing", new JsonObject().put("master_key", masterKey)
        .put("self_signing_key", selfSigningKey).put("user_signing_key", userSigningKey));
  }

  static JsonObject failure(String reason) {
    return new JsonObject().put("type", FAILURE).put("reason", reason);
  }
}
