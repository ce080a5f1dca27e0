package org.gatehouse.rendezvous.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;

/**
 * A session as stored in the Hazelcast map. {@link DataSerializable} rather than Java serialization: every read
 * and write of a session crosses it, and hand-written fields are several times smaller and faster. Needs no
 * registration in the member configuration, which the module does not own.
 */
public final class SessionRecord implements DataSerializable {
  private RendezvousSession session;

  /** For Hazelcast. */
  public SessionRecord() {
  }

  SessionRecord(RendezvousSession session) {
    this.session = session;
  }

  RendezvousSession session() {
    return session;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(session.id());
    out.writeByte(session.protocol().ordinal());
    out.writeString(session.data());
    out.writeString(session.token());
    out.writeString(session.previousToken());
    out.writeLong(session.createdAtMs());
    out.writeLong(session.expiresAtMs());
    out.writeLong(session.lastModifiedMs());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    String id = in.readString();
    Protocol protocol = Protocol.values()[in.readByte()];
    String data = in.readString();
    String token = in.readString();
    String previousToken = in.readString();
    session = new RendezvousSession(id, protocol, data, token, previousToken, in.readLong(), in.readLong(),
        in.readLong());
  }
}
