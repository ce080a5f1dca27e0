package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.function.Function;
import org.gatehouse.auth.store.AccessTokenStore;
import org.gatehouse.auth.store.AuthorizationCodeStore;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.store.CrossSigningResetStore;
import org.gatehouse.auth.store.DeviceGrantStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.LoginTokenStore;
import org.gatehouse.auth.store.RefreshTokenStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.SigningKeyStore;
import org.gatehouse.auth.store.StoreAccess;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.Transaction;
import org.gatehouse.auth.store.UserStore;

/** The auth module's stores on PostgreSQL; owns the pool and the transactions. */
public final class PgStores implements Stores {
  private final Pool pool;
  private final Clock clock;
  private final Bound onPool;

  public PgStores(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
    this.onPool = new Bound(Db.pool(pool), clock);
  }

  @Override
  public <T> Future<T> inTransaction(Function<Transaction, Future<T>> work) {
    return pool.withTransaction(connection -> work.apply(new InTransaction(Db.transaction(connection), clock)));
  }

  @Override
  public UserStore users() {
    return onPool.users();
  }

  @Override
  public ClientStore clients() {
    return onPool.clients();
  }

  @Override
  public DeviceStore devices() {
    return onPool.devices();
  }

  @Override
  public SessionStore sessions() {
    return onPool.sessions();
  }

  @Override
  public AccessTokenStore accessTokens() {
    return onPool.accessTokens();
  }

  @Override
  public RefreshTokenStore refreshTokens() {
    return onPool.refreshTokens();
  }

  @Override
  public AuthorizationCodeStore codes() {
    return onPool.codes();
  }

  @Override
  public DeviceGrantStore deviceGrants() {
    return onPool.deviceGrants();
  }

  @Override
  public CrossSigningResetStore crossSigningResets() {
    return onPool.crossSigningResets();
  }

  @Override
  public SigningKeyStore signingKeys() {
    return onPool.signingKeys();
  }

  @Override
  public LoginTokenStore loginTokens() {
    return onPool.loginTokens();
  }

  /** Every store, bound to the pool or to one transaction's connection. */
  private static class Bound implements StoreAccess {
    private final UserStore users;
    private final ClientStore clients;
    private final DeviceStore devices;
    private final SessionStore sessions;
    private final AccessTokenStore accessTokens;
    private final RefreshTokenStore refreshTokens;
    private final AuthorizationCodeStore codes;
    private final DeviceGrantStore deviceGrants;
    private final CrossSigningResetStore crossSigningResets;
    private final SigningKeyStore signingKeys;
    private final LoginTokenStore loginTokens;

    Bound(Db db, Clock clock) {
      this.users = new PgUserStore(db, clock);
      this.clients = new PgClientStore(db, clock);
      this.devices = new PgDeviceStore(db, clock);
      this.sessions = new PgSessionStore(db, clock);
      this.accessTokens = new PgAccessTokenStore(db);
      this.refreshTokens = new PgRefreshTokenStore(db);
      this.codes = new PgAuthorizationCodeStore(db);
      this.deviceGrants = new PgDeviceGrantStore(db, clock);
      this.crossSigningResets = new PgCrossSigningResetStore(db);
      this.signingKeys = new PgSigningKeyStore(db, clock);
      this.loginTokens = new PgLoginTokenStore(db);
    }

    @Override
    public UserStore users() {
      return users;
    }

    @Override
    public ClientStore clients() {
      return clients;
    }

    @Override
    public DeviceStore devices() {
      return devices;
    }

    @Override
    public SessionStore sessions() {
      return sessions;
    }

    @Override
    public AccessTokenStore accessTokens() {
      return accessTokens;
    }

    @Override
    public RefreshTokenStore refreshTokens() {
      return refreshTokens;
    }

    @Override
    public AuthorizationCodeStore codes() {
      return codes;
    }

    @Override
    public DeviceGrantStore deviceGrants() {
      return deviceGrants;
    }

    @Override
    public CrossSigningResetStore crossSigningResets() {
      return crossSigningResets;
    }

    @Override
    public SigningKeyStore signingKeys() {
      return signingKeys;
    }

    @Override
    public LoginTokenStore loginTokens() {
      return loginTokens;
    }
  }

  private static final class InTransaction extends Bound implements Transaction {
    InTransaction(Db db, Clock clock) {
      super(db, clock);
    }
  }
}
