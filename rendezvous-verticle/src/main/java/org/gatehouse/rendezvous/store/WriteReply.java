package org.gatehouse.rendezvous.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;

/** A {@link WriteResult} on its way back from the owning member. */
public final class WriteReply implements DataSerializable {
  private static final byte MISSING = 0;
  private static final byte WRITTEN = 1;
  private static final byte RETRIED = 2;
  private static final byte CONFLICT = 3;

  private WriteResult result;

  /** For Hazelcast. */
  public WriteReply() {
  }

  WriteReply(WriteResult result) {
    this.result = result;
  }

  WriteResult result() {
    return result;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    byte kind;
    if (result instanceof WriteResult.Written) {
      kind = WRITTEN;
    } else if (result instanceof WriteResult.Retried) {
      kind = RETRIED;
    } else if (result instanceof WriteResult.Conflict) {
      kind = CONFLICT;
    } else {
      kind = MISSING;
    }
    out.writeByte(kind);
    if (kind != MISSING) {
      new SessionRecord(result.session()).writeData(out);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    byte kind = in.readByte();
    if (kind == MISSING) {
      result = new WriteResult.Missing();
      return;
    }
    SessionRecord record = new SessionRecord();
    record.readData(in);
    RendezvousSession session = record.session();
    result = switch (kind) {
      case WRITTEN -> new WriteResult.Written(session);
      case RETRIED -> new WriteResult.Retried(session);
      default -> new WriteResult.Conflict(session);
    };
  }
}
