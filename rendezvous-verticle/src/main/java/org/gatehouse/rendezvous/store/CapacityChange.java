package org.gatehouse.rendezvous.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import org.gatehouse.rendezvous.domain.LiveSessionWindow;

/**
 * Reserves, releases or counts a slot of the live-session window on the member that owns it, so every node's
 * creations are counted against one total without locks. Deterministic (the time comes from the requesting
 * node), because it runs again on the backup replica.
 */
public final class CapacityChange implements EntryProcessor<String, CapacityRecord, Long>, DataSerializable {
  enum Kind { RESERVE, RELEASE, COUNT }

  private Kind kind;
  private long expiresAtMs;
  private long nowMs;
  private int max;

  /** For Hazelcast. */
  public CapacityChange() {
  }

  private CapacityChange(Kind kind, long expiresAtMs, long nowMs, int max) {
    this.kind = kind;
    this.expiresAtMs = expiresAtMs;
    this.nowMs = nowMs;
    this.max = max;
  }

  /** Answers 0 when a slot was taken, else the milliseconds until one frees up. */
  static CapacityChange reserve(long expiresAtMs, long nowMs, int max) {
    return new CapacityChange(Kind.RESERVE, expiresAtMs, nowMs, max);
  }

  static CapacityChange release(long expiresAtMs, long nowMs) {
    return new CapacityChange(Kind.RELEASE, expiresAtMs, nowMs, 0);
  }

  /** Answers the slots held now. */
  static CapacityChange count(long nowMs) {
    return new CapacityChange(Kind.COUNT, 0, nowMs, 0);
  }

  @Override
  public Long process(Map.Entry<String, CapacityRecord> entry) {
    CapacityRecord stored = entry.getValue();
    LiveSessionWindow window = stored == null ? new LiveSessionWindow() : stored.window();
    long answer = switch (kind) {
      case RESERVE -> window.tryReserve(expiresAtMs, nowMs, max);
      case RELEASE -> {
        window.release(expiresAtMs, nowMs);
        yield 0L;
      }
      case COUNT -> window.live(nowMs);
    };
    entry.setValue(new CapacityRecord(window));
    return answer;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeLong(expiresAtMs);
    out.writeLong(nowMs);
    out.writeInt(max);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    kind = Kind.values()[in.readByte()];
    expiresAtMs = in.readLong();
    nowMs = in.readLong();
    max = in.readInt();
  }
}
