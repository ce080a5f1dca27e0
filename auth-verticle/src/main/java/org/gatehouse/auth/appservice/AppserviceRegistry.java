package org.gatehouse.auth.appservice;

import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.Appservices;
import org.gatehouse.infra.hazelcast.HazelcastFutures;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.http.MatrixError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appservice registrations in force on this node, identical on every node of the cluster.
 *
 * <p>The set in force lives in a Hazelcast map. A node that starts adopts the cluster's set if there is one (and
 * warns if its own files differ), else its own. A reload — SIGHUP or the admin API, on any node — re-reads that
 * node's files and, if they are valid, makes them the set of every node through an acknowledged broadcast; if
 * they are not, nothing changes and the caller learns which file and field is wrong.
 */
public final class AppserviceRegistry {
  /**
   * Acknowledged fact: the registrations in force changed. {@code {"registrations": [..], "digest"}}; the tokens
   * appear as digests only ({@link AppserviceRegistration#toJson()}), here and in the map.
   */
  public static final String CHANGED = "gatehouse.auth.appservices.changed";
  static final String MAP = "gatehouse.auth.appservices";
  private static final String KEY = "current";
  private static final Logger LOG = LoggerFactory.getLogger(AppserviceRegistry.class);

  private final Vertx vertx;
  private final IMap<String, String> shared;
  private final ClusterBroadcast broadcast;
  private final List<Path> files;
  private volatile Appservices current = Appservices.none();

  public AppserviceRegistry(Vertx vertx, IMap<String, String> shared, ClusterBroadcast broadcast, List<Path> files) {
    this.vertx = vertx;
    this.shared = shared;
    this.broadcast = broadcast;
    this.files = List.copyOf(files);
  }

  public Appservices current() {
    return current;
  }

  /** Subscribes to changes, then adopts the cluster's set or, in a new cluster, {@code own}. */
  public Future<Void> start(List<AppserviceRegistration> own) {
    Appservices mine = new Appservices(own);
    return broadcast.consume(CHANGED, body -> {
          current = fromJson(body);
          LOG.info("appservice registrations now in force: {}", ids(current));
          return Future.succeededFuture();
        }).completion()
        .compose(subscribed -> HazelcastFutures.onContext(shared.submitToKey(KEY, new PutIfAbsent(toJson(mine).encode())),
            vertx.getOrCreateContext()))
        .map(existing -> {
          if (existing == null) {
            current = mine;
          } else {
            Appservices cluster = fromJson(new JsonObject(existing));
            if (!cluster.digest().equals(mine.digest())) {
              LOG.warn("the appservice registration files of this node ({}) differ from the registrations in force in"
                  + " the cluster ({}); this node uses the cluster's. Reload (SIGHUP or the admin API) to apply files.",
                  ids(mine), ids(cluster));
            }
            current = cluster;
          }
          LOG.info("appservice registrations in force: {}", ids(current));
          return null;
        });
  }

  /** Re-reads this node's files and puts them in force on every node. */
  public Future<JsonObject> reload(String by) {
    return vertx.executeBlocking(() -> new Appservices(RegistrationFiles.read(files)), false)
        .recover(failure -> Future.failedFuture(failure instanceof ConfigException config
            ? MatrixError.invalidParam("appservice registrations not reloaded: " + config.getMessage())
            : failure))
        .compose(loaded -> {
          JsonObject body = toJson(loaded);
          return HazelcastFutures.onContext(shared.setAsync(KEY, body.encode()), vertx.getOrCreateContext())
              .compose(stored -> broadcast.publish(CHANGED, body))
              .map(done -> {
                LOG.info("appservice registrations reloaded by {}: {}", by, ids(loaded));
                return new JsonObject().put("appservices", new JsonArray(ids(loaded))).put("digest", loaded.digest());
              });
        });
  }

  private static JsonObject toJson(Appservices set) {
    JsonArray list = new JsonArray();
    set.registrations().forEach(r -> list.add(r.toJson()));
    return new JsonObject().put("registrations", list).put("digest", set.digest());
  }

  private static Appservices fromJson(JsonObject json) {
    return new Appservices(json.getJsonArray("registrations").stream()
        .map(o -> AppserviceRegistration.fromJson((JsonObject) o)).toList());
  }

  private static List<String> ids(Appservices set) {
    return set.registrations().stream().map(AppserviceRegistration::id).toList();
  }
}
