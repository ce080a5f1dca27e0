package org.gatehouse.auth.appservice;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Stores a value unless the key has one, atomically on the key's owner; answers the value that was there, or null. */
final class PutIfAbsent implements EntryProcessor<String, String, String> {
  private static final long serialVersionUID = 1L;

  private final String value;

  PutIfAbsent(String value) {
    this.value = value;
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String existing = entry.getValue();
    if (existing == null) {
      entry.setValue(value);
    }
    return existing;
  }
}
