package org.gatehouse.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

final class MatrixAssertions {
  private MatrixAssertions() {
  }

  /** The response is the Matrix error {@code status} / {@code errcode}; returns its body. */
  static JsonObject assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("errcode")).as("errcode of %s", body).isEqualTo(errcode);
    assertThat(body.getString("error")).isNotBlank();
    return body;
  }

  static JsonObject assertOk(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    return response.bodyAsJsonObject();
  }
}
