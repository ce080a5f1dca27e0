package org.gatehouse.auth.store;

/**
 * The store of every aggregate the auth module keeps, all seen through one database session: {@link Stores}
 * outside a transaction, a {@link Transaction} inside one.
 */
public interface StoreAccess {
  UserStore users();

  ClientStore clients();

  DeviceStore devices();

  SessionStore sessions();

  AccessTokenStore accessTokens();

  RefreshTokenStore refreshTokens();

  AuthorizationCodeStore codes();

  DeviceGrantStore deviceGrants();

  CrossSigningResetStore crossSigningResets();

  SigningKeyStore signingKeys();

  LoginTokenStore loginTokens();
}
