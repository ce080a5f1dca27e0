package org.gatehouse.homeserver.synapse;

/** How Synapse answered one call of its internal API; every transport failure is a value, never an exception. */
public sealed interface SynapseAnswer {
  /** 2xx. */
  record Done(int status) implements SynapseAnswer {
  }

  /** A definite refusal (4xx other than 429): retrying the same call would be refused again. */
  record Refused(int status, String errcode, String error) implements SynapseAnswer {
    public boolean notFound() {
      return status == 404;
    }
  }

  /** No answer that settles it: unreachable, timed out, 5xx or 429. Worth retrying. */
  record Unavailable(String reason) implements SynapseAnswer {
  }
}
