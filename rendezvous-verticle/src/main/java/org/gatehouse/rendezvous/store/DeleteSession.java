package org.gatehouse.rendezvous.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import org.gatehouse.rendezvous.domain.Protocol;

/**
 * Removes a live session of one protocol on the owning member and answers what it removed (null when there was
 * no such session), so that exactly one of two concurrent deletes gives the capacity slot back.
 */
public final class DeleteSession implements EntryProcessor<String, SessionRecord, SessionRecord>, DataSerializable {
  private Protocol protocol;
  private long nowMs;

  /** For Hazelcast. */
  public DeleteSession() {
  }

  DeleteSession(Protocol protocol, long nowMs) {
    this.protocol = protocol;
    this.nowMs = nowMs;
  }

  @Override
  public SessionRecord process(Map.Entry<String, SessionRecord> entry) {
    SessionRecord stored = entry.getValue();
    if (stored == null || stored.session().protocol() != protocol) {
      return null;
    }
    entry.setValue(null);
    // An expired entry Hazelcast has not reaped yet is removed too, but reported as absent.
    return stored.session().isLiveAt(nowMs) ? stored : null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(protocol.ordinal());
    out.writeLong(nowMs);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    protocol = Protocol.values()[in.readByte()];
    nowMs = in.readLong();
  }
}
