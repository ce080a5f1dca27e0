package org.gatehouse.homeserver.sync;

import io.vertx.core.Future;
import java.util.function.Function;
import org.gatehouse.homeserver.outbox.OutboxEntry;
import org.gatehouse.homeserver.synapse.SynapseAnswer;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the outbox worker sends for each queued call: the call itself (an endpoint of {@code /_synapse/mas/}, or
 * the admin API's suspension), or the reconciliation job.
 */
public final class QueuedCalls implements Function<OutboxEntry, Future<SynapseAnswer>> {
  private static final Logger LOG = LoggerFactory.getLogger(QueuedCalls.class);

  private final SynapseClient synapse;
  private final Reconciliation reconciliation;

  public QueuedCalls(SynapseClient synapse, Reconciliation reconciliation) {
    this.synapse = synapse;
    this.reconciliation = reconciliation;
  }

  @Override
  public Future<SynapseAnswer> apply(OutboxEntry entry) {
    if (OutboxEntry.RECONCILE.equals(entry.operation())) {
      return reconciliation.run(entry);
    }
    Future<SynapseAnswer> sent = SynapseClient.SUSPEND.equals(entry.operation())
        ? synapse.suspend(entry.body().getString("user_id"), entry.body().getBoolean("suspend"))
        : synapse.post(entry.operation(), entry.body());
    return sent.map(answer -> {
      if (answer instanceof SynapseAnswer.Refused refused && refused.notFound()) {
        // The homeserver does not know the user (or the device): a deletion or rename has nothing left to do.
        LOG.info("queued {} for {}: the homeserver has no such user or device; nothing to do", entry.operation(),
            entry.localpart());
        return new SynapseAnswer.Done(404);
      }
      return answer;
    });
  }
}
