package org.gatehouse.common.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cookie-keeping HTTP client for page tests. Like real browsers it sends {@code Secure} cookies to loopback
 * addresses over plain http (they count as secure contexts), which Vert.x's own session client does not do.
 * Redirects are not followed, so tests see every hop.
 */
public final class TestBrowser {
  private final WebClient client;
  private final String base;
  private final Map<String, String> cookies = new LinkedHashMap<>();

  public TestBrowser(WebClient client, String baseUrl) {
    this.client = client;
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public HttpResponse<Buffer> get(String pathOrUrl) throws Exception {
    return remember(withCookies(client.getAbs(absolute(pathOrUrl))).send().await(30, TimeUnit.SECONDS));
  }

  public HttpResponse<Buffer> post(String pathOrUrl, MultiMap form) throws Exception {
    return remember(withCookies(client.postAbs(absolute(pathOrUrl))).sendForm(form).await(30, TimeUnit.SECONDS));
  }

  public Map<String, String> cookies() {
    return cookies;
  }

  private String absolute(String pathOrUrl) {
    return pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
  }

  private HttpRequest<Buffer> withCookies(HttpRequest<Buffer> request) {
    if (!cookies.isEmpty()) {
      StringBuilder header = new StringBuilder();
      cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      request.putHeader("Cookie", header.toString());
    }
    return request;
  }

  private HttpResponse<Buffer> remember(HttpResponse<Buffer> response) {
    for (String setCookie : response.cookies()) {
      String pair = setCookie.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
    }
    return response;
  }
}
