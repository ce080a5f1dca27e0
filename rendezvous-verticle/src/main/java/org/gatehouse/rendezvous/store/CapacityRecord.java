package org.gatehouse.rendezvous.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.gatehouse.rendezvous.domain.LiveSessionWindow;

/** The cluster's {@link LiveSessionWindow} as stored in Hazelcast (one entry, with backups). */
public final class CapacityRecord implements DataSerializable {
  private LiveSessionWindow window;

  /** For Hazelcast. */
  public CapacityRecord() {
  }

  CapacityRecord(LiveSessionWindow window) {
    this.window = window;
  }

  LiveSessionWindow window() {
    return window;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    Map<Long, Integer> buckets = window.buckets();
    out.writeInt(buckets.size());
    for (Map.Entry<Long, Integer> bucket : buckets.entrySet()) {
      out.writeLong(bucket.getKey());
      out.writeInt(bucket.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    Map<Long, Integer> buckets = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      buckets.put(in.readLong(), in.readInt());
    }
    window = new LiveSessionWindow(buckets);
  }
}
