package org.gatehouse.server.qrlogin;

import java.util.ArrayList;
import java.util.List;

/** Every {@code data} value that crossed the rendezvous API, either way: all the server was ever given or gave. */
final class Wire {
  private final List<String> payloads = new ArrayList<>();

  synchronized void saw(String data) {
    payloads.add(data);
  }

  synchronized List<String> payloads() {
    return List.copyOf(payloads);
  }
}
