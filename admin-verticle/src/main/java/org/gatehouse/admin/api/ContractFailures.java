package org.gatehouse.admin.api;

import io.vertx.json.schema.OutputErrorType;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.common.http.MatrixError;

/**
 * Turns the OpenAPI validator's refusals into Matrix errors: a parameter that is missing is
 * {@code M_MISSING_PARAM} and one that is invalid {@code M_INVALID_PARAM}; a body that is missing or not JSON is
 * {@code M_NOT_JSON}, one that lacks a required field {@code M_MISSING_PARAM}, and any other mismatch with its
 * schema {@code M_BAD_JSON}.
 *
 * <p>The validator says which parameter failed only in its message, so that is where the name is read from; a
 * message in another shape is treated as a body failure, which is still a 400 with a Matrix error code.
 */
public final class ContractFailures {
  private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter (\\S+?)[ .]");

  private ContractFailures() {
  }

  public static MatrixError toMatrixError(ValidatorException failure) {
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    Matcher parameter = PARAMETER.matcher(message);
    if (parameter.find()) {
      String name = parameter.group(2);
      return failure.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
          ? MatrixError.missingParam("Missing " + parameter.group(1) + " parameter: " + name)
          : MatrixError.invalidParam("Invalid " + parameter.group(1) + " parameter " + name + reason(failure));
    }
    switch (failure.type()) {
      case MISSING_REQUIRED_PARAMETER:
        return failure instanceof SchemaValidationException
            ? MatrixError.missingParam("Missing field in the request body" + reason(failure))
            : MatrixError.notJson("Request body is empty; expected a JSON object");
      case ILLEGAL_VALUE:
        return MatrixError.notJson("Request body is not valid JSON");
      case UNSUPPORTED_VALUE_FORMAT:
        return MatrixError.notJson("Request body must be JSON (Content-Type: application/json)");
      default:
        return missingField(failure)
            ? MatrixError.missingParam("Missing field in the request body" + reason(failure))
            : MatrixError.badJson("Invalid request body" + reason(failure));
    }
  }

  /** A {@code required} keyword failed anywhere in the body's schema. */
  private static boolean missingField(ValidatorException failure) {
    return failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null
        && mentionsMissing(schema.getOutputUnit());
  }

  private static boolean mentionsMissing(OutputUnit unit) {
    if (unit.getErrorType() == OutputErrorType.MISSING_VALUE) {
      return true;
    }
    return unit.getErrors() != null && unit.getErrors().stream().anyMatch(ContractFailures::mentionsMissing);
  }

  private static String reason(ValidatorException failure) {
    if (failure instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      OutputUnit unit = deepest(schema.getOutputUnit());
      if (unit.getError() != null) {
        // Locations are JSON pointers as URI fragments: "#" is the value itself, "#/a/b" a field in it.
        String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation().replaceFirst("^#/?", "");
        return ": " + unit.getError() + (location.isEmpty() ? "" : " (at " + location + ")");
      }
    }
    return "";
  }

  private static OutputUnit deepest(OutputUnit unit) {
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
      return unit;
    }
    return deepest(unit.getErrors().get(0));
  }
}
