package org.gatehouse.server.qrlogin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.EstablishedChannel;

/**
 * SecureSend and SecureReceive of MSC4388 ("Secure operations"): MSC4108 messages as JSON, sealed by the channel
 * with the session's sequence tokens and carried by the rendezvous session.
 */
final class SecureRendezvous {
  private final RendezvousSession session;
  private final EstablishedChannel channel;

  SecureRendezvous(RendezvousSession session, EstablishedChannel channel) {
    this.session = session;
    this.channel = channel;
  }

  void send(JsonObject message) {
    session.send(channel.seal(message.encode(), session.lastReadToken()));
  }

  /** The other device's next message, which must be of {@code expectedType}. */
  JsonObject receive(String expectedType) {
    String plaintext = channel.open(session.receive(), session.lastWrittenToken());
    JsonObject message;
    try {
      message = new JsonObject(plaintext);
    } catch (DecodeException e) {
      throw new SecureChannelException("a message is not JSON", e);
    }
    if (!expectedType.equals(message.getString("type"))) {
      throw new IllegalStateException("expected " + expectedType + ", got " + message.encode());
    }
    return message;
  }
}
