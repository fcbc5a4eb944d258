package com.quantumtrader.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * The API's JSON: strict on the way in (unknown fields, numbers for strings, trailing tokens and
 * nulls for primitives are errors), plain on the way out (instants as ISO-8601 strings, NaN as the
 * string "NaN"). Every error is {@code {"code": ..., "message": ...}}.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new ParameterNamesModule())
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("strict-strings")
          .addDeserializer(String.class, new StrictString()))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
      // A number where a string belongs (and the other way round) is an error, not a conversion.
      .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
      .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  /** Only a JSON string is a string (Jackson 2.13 would turn 5 or true into "5" or "true"). */
  private static final class StrictString extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
    StrictString() {
      super(String.class);
    }

    @Override
    public String deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws java.io.IOException {
      if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) return p.getText();
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }

  /** An error body. */
  public record ApiError(String code, String message) {}

  public static HttpResponse response(StatusCode status, Object body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      status = akka.http.javadsl.model.StatusCodes.INTERNAL_SERVER_ERROR;
      bytes = "{\"code\":\"internal\",\"message\":\"the response could not be written\"}".getBytes();
    }
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, bytes);
  }

  /** The error code for a status that carries no code of ours (Akka HTTP rejections, Akka Management). */
  public static String codeFor(int status) {
    return switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 415 -> "unsupported_media_type";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }

  /** {@code response} with a JSON {@code {code, message}} body whose message is {@code text} (or the status's reason). */
  public static HttpResponse asError(HttpResponse response, String text) {
    String message = text == null || text.isBlank() ? response.status().reason() : text;
    return response.withEntity(ContentTypes.APPLICATION_JSON, toJson(new ApiError(codeFor(response.status().intValue()), message)));
  }

  public static String toJson(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      return "{\"code\":\"internal\",\"message\":\"could not be written as JSON\"}";
    }
  }

  public static HttpResponse error(StatusCode status, String code, String message) {
    return response(status, new ApiError(code, message));
  }

  /** A readable one-line reason for a JSON problem, without class names or stack traces. */
  public static String describe(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) m = "malformed JSON";
    m = m.replaceAll("\\(class [^)]*\\)", "").replaceAll("com\\.quantumtrader\\.[A-Za-z.$]*", "request")
        .replaceAll("\\((?:[a-z]+\\.)+[A-Za-z]*(?:Exception|Error)\\) ?", "");
    int cut = m.indexOf('\n');
    if (cut > 0) m = m.substring(0, cut);
    var loc = e.getLocation();
    String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    String path = "";
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (var ref : jm.getPath()) {
        if (ref.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
        else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
      }
      if (sb.length() > 0) path = " at '" + sb + "'";
    }
    return m.trim() + path + where;
  }
}
