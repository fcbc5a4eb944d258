package com.quantumtrader.api;

import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request Akka HTTP cannot parse far enough to route (a path over its length limit,
 * a header too large, an unknown method, a malformed request target): the API's {@code {code,
 * message}} body instead of plain text, on the API and management ports alike
 * ({@code akka.http.server.parsing.error-handler}). The status stays Akka HTTP's.
 */
public final class JsonParsingErrors extends akka.http.ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    String summary = error.summary() == null || error.summary().isBlank() ? status.reason() : error.summary();
    log.debug("http: could not parse a request ({}): {}", status.intValue(), error.formatPretty());
    return Json.error(StatusCodes.get(status.intValue()), Json.codeFor(status.intValue()), summary);
  }
}
