package org.gatehouse.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process liveness as the operator means it: a zombie (exited, not yet reaped) is not running. */
public final class Processes {
  private Processes() {
  }

  /** True if {@code pid} exists and has not exited. In containers whose init never reaps, zombies linger. */
  public static boolean isRunning(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Format: pid (comm) state ...; comm may contain spaces and parentheses, so look after the last ')'.
      String afterName = stat.substring(stat.lastIndexOf(')') + 1).trim();
      return !afterName.startsWith("Z") && !afterName.startsWith("X");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }
}
