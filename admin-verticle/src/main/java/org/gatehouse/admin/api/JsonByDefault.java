package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import java.util.Map;

/**
 * Reads requests for the validator from the edge's buffered body, treating a body sent without a
 * {@code Content-Type} as JSON: Matrix tooling (and curl) often omit it, and Matrix servers accept that.
 */
final class JsonByDefault implements RequestExtractor {
  private static final RequestExtractor BUFFERED = RequestExtractor.withBodyHandler();

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext ctx, Operation operation) {
    return BUFFERED.extractValidatableRequest(ctx, operation)
        .map(request -> request.getContentType() == null ? new WithJsonType(request) : request);
  }

  private record WithJsonType(ValidatableRequest request) implements ValidatableRequest {
    @Override
    public String getContentType() {
      return "application/json";
    }

    @Override
    public Map<String, RequestParameter> getCookies() {
      return request.getCookies();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return request.getPathParameters();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return request.getQuery();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return request.getHeaders();
    }

    @Override
    public RequestParameter getBody() {
      return request.getBody();
    }
  }
}
