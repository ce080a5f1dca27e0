package org.gatehouse.infra.ratelimit;

import java.io.Serializable;

/** The stored state of one bucket: tokens left at a moment (millisecond clock of the member that wrote it). */
record TokenBucket(double tokens, long atMillis) implements Serializable {
}
