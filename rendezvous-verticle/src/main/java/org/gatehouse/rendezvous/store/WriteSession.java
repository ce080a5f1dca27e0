package org.gatehouse.rendezvous.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.WriteResult;

/**
 * A compare-and-set of a session's payload, run on the member that owns the entry so that concurrent writers on
 * any node are ordered without locks. It runs again on the backup replica (the default backup processor), so it
 * must be deterministic: the new token and the time come from the requesting node, never from here.
 */
public final class WriteSession implements EntryProcessor<String, SessionRecord, WriteReply>, DataSerializable {
  private Protocol protocol;
  private Precondition condition;
  private String data;
  private String newToken;
  private long nowMs;

  /** For Hazelcast. */
  public WriteSession() {
  }

  WriteSession(Protocol protocol, Precondition condition, String data, String newToken, long nowMs) {
    this.protocol = protocol;
    this.condition = condition;
    this.data = data;
    this.newToken = newToken;
    this.nowMs = nowMs;
  }

  @Override
  public WriteReply process(Map.Entry<String, SessionRecord> entry) {
    SessionRecord stored = entry.getValue();
    if (stored == null || !stored.session().isLiveAt(nowMs) || stored.session().protocol() != protocol) {
      return new WriteReply(new WriteResult.Missing());
    }
    WriteResult result = stored.session().write(condition, data, newToken, nowMs);
    if (result instanceof WriteResult.Written written) {
      // The session expires a fixed time after creation: a write must not restart the entry's time to live.
      ((ExtendedMapEntry<String, SessionRecord>) entry).setValueWithoutChangingExpiryTime(
          new SessionRecord(written.session()));
    }
    return new WriteReply(result);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(protocol.ordinal());
    out.writeBoolean(condition.any());
    out.writeInt(condition.tokens().size());
    for (String token : condition.tokens()) {
      out.writeString(token);
    }
    out.writeString(data);
    out.writeString(newToken);
    out.writeLong(nowMs);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    protocol = Protocol.values()[in.readByte()];
    boolean any = in.readBoolean();
    int count = in.readInt();
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tokens.add(in.readString());
    }
    condition = new Precondition(tokens, any);
    data = in.readString();
    newToken = in.readString();
    nowMs = in.readLong();
  }
}
