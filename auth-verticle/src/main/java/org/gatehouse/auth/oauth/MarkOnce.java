package org.gatehouse.auth.oauth;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Marks a key as seen for a while, atomically on its owner; answers whether it had been seen already. */
final class MarkOnce implements EntryProcessor<String, Boolean, Boolean> {
  private static final long serialVersionUID = 1L;

  private final long ttlMillis;

  MarkOnce(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  @Override
  public Boolean process(Map.Entry<String, Boolean> entry) {
    if (entry.getValue() != null) {
      return true;
    }
    ((ExtendedMapEntry<String, Boolean>) entry).setValue(Boolean.TRUE, ttlMillis, TimeUnit.MILLISECONDS);
    return false;
  }
}
