/**
 * The actions of the account page ({@code /account}, MSC4191), one handler each, registered by action name in
 * {@link org.gatehouse.auth.web.AccountPage}. Every handler runs after the page's {@link
 * org.gatehouse.auth.web.BrowserAccountHandler} (and, for a POST, its {@link org.gatehouse.auth.web.CsrfGuard}), so
 * it starts from the signed-in, usable account. A GET only shows; the changes are POSTs.
 */
package org.gatehouse.auth.web.account;
