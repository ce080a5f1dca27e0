/**
 * The auth module. Every package below is one layer; dependencies point down this list, never up:
 *
 * <ol>
 *   <li>{@code org.gatehouse.auth} — the module as the launcher sees it ({@code AuthModule}, {@code AuthConfig})
 *       and the composition root ({@code AuthVerticle}), which builds the stores and the services several
 *       features share and installs the features of {@code features} in start order. A feature
 *       ({@code OAuthFeature}, {@code PagesFeature}, {@code DevicesFeature}, ...) takes a {@code Needs} record of
 *       exactly what it uses, constructs its adapters and mounts them on the edge.</li>
 *   <li>Adapters, one package per protocol: {@code oauth} (and {@code oauth.grants}) for the OAuth 2.0 endpoints,
 *       {@code web} for the browser pages, {@code matrix} for the Matrix client-server API, {@code homeserver} for
 *       what the homeserver asks. They parse requests, call services and stores, and render answers and errors.</li>
 *   <li>Services, one package per sub-domain: {@code accounts}, {@code appservice}, {@code compat}, {@code crosssigning},
 *       {@code devicegrant}, {@code requester}. They hold the flows that span aggregates, the event bus and the
 *       homeserver; no HTTP types.</li>
 *   <li>{@code store}: one storage interface per aggregate; {@code store.pg} implements them on PostgreSQL.</li>
 *   <li>{@code domain}: pure types, rules and state machines; they return domain outcomes, never HTTP, OAuth or
 *       Matrix errors, and import nothing of the layers above.</li>
 * </ol>
 * {@code crypto} (hashing, signing keys) is infrastructure any layer may use.
 */
package org.gatehouse.auth;
