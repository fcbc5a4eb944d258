package com.quantumtrader.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's JSON: strict on the way in (unknown fields, a field given twice, numbers for strings,
 * trailing tokens and nulls for primitives are errors), plain on the way out (instants as ISO-8601 strings, NaN as the
 * string "NaN"). Every error is {@code {"code": ..., "message": ...}}.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new ParameterNamesModule())
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("strict-strings")
          .addDeserializer(String.class, new StrictString())
          .addDeserializer(Double.class, new StrictDouble()))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // {"mode": "NORMAL", "mode": "AGGRESSIVE"} is an error, not "the last one wins".
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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

  /**
   * Only a JSON string is a string (Jackson 2.13 would turn 5 or true into "5" or "true"), and only
   * one that is text: a lone UTF-16 surrogate ({@code "\ud800"}, which JSON's escapes allow and no
   * character is) cannot be journaled, and a reason holding one restarted the component that tried
   * (the policy store, again at each retry).
   */
  private static final class StrictString extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
    StrictString() {
      super(String.class);
    }

    @Override
    public String deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws java.io.IOException {
      if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) return (String) ctxt.handleUnexpectedToken(String.class, p);
      String text = p.getText();
      String problem = notText(text);
      if (problem != null) throw new Refused(p, problem, text, String.class);
      return text;
    }
  }

  /** A value our own deserializers refuse, in words already meant for the caller (only the field is put before them). */
  private static final class Refused extends com.fasterxml.jackson.databind.exc.InvalidFormatException {
    Refused(com.fasterxml.jackson.core.JsonParser p, String message, Object value, Class<?> target) {
      super(p, message, value, target);
    }
  }

  /**
   * Why {@code s} is not text the API takes, or null: a lone UTF-16 surrogate, or a character that acts
   * on the text's display ({@link #controlCharacter}). For the body's strings and the query's text alike.
   */
  static String notText(String s) {
    int bad = loneSurrogate(s);
    if (bad >= 0) {
      return String.format(java.util.Locale.ROOT, "a lone UTF-16 surrogate (\\u%04x) at character %d is not text", (int) s.charAt(bad), bad + 1);
    }
    bad = controlCharacter(s);
    if (bad >= 0) {
      return String.format(java.util.Locale.ROOT, "a control character (\\u%04x) at character %d: text here is one line without control"
          + " characters", (int) s.charAt(bad), bad + 1);
    }
    return null;
  }

  /**
   * The index of the first control character in {@code s} (U+0000-U+001F, U+007F-U+009F: a line
   * break, a tab, an escape sequence's ESC; also the line and paragraph separators and the
   * bidirectional overrides: {@link com.quantumtrader.common.Names#controlsText}), or -1. JSON lets an
   * escape such as {@code \n} or backslash-u001b (ESC) put one in a string; in a reason or a name it
   * would be journaled and printed as it is, and a terminal showing the history would act on it (a
   * forged row, a cleared screen).
   */
  static int controlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) if (com.quantumtrader.common.Names.controlsText(s.charAt(i))) return i;
    return -1;
  }

  /**
   * Only a JSON number is a number, and a finite one: Jackson reads the strings {@code "NaN"} and
   * {@code "Infinity"} as doubles even where strings may not stand for numbers, and {@code 1e400} as
   * infinity. A limit or a parameter sent so was refused only later, as out of range (422), where
   * any other wrong type is a 400.
   */
  private static final class StrictDouble extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<Double> {
    StrictDouble() {
      super(Double.class);
    }

    @Override
    public Double deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws java.io.IOException {
      com.fasterxml.jackson.core.JsonToken t = p.currentToken();
      if (t != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT && t != com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT) {
        return (Double) ctxt.handleUnexpectedToken(Double.class, p);
      }
      double v = p.getDoubleValue();
      if (!Double.isFinite(v)) {
        throw new Refused(p, "a number too large for a double (" + p.getText() + ")", p.getText(), Double.class);
      }
      return v;
    }
  }

  /** The index of the first UTF-16 surrogate in {@code s} that is not half of a pair, or -1. */
  static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) return i;
    }
    return -1;
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
      case 413, 414, 431 -> "too_large";
      case 501 -> "not_implemented";
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

  /**
   * What is wrong with a request body, in the API's terms: for a value of the wrong type, the field's
   * JSON path, what it must be and (when short) what was sent, e.g. {@code expectedVersion must be a
   * whole number, got "ten"}; for a syntax error, where it is. Never Java class names or Jackson's
   * configuration hints. {@code body} is the request body, read again to quote the value sent.
   */
  public static String describe(JsonProcessingException e, byte[] body) {
    if (e instanceof JsonMappingException m) {
      // A syntax error inside a value (a control character in a string, say) comes wrapped with the value's path.
      if (m.getCause() instanceof JsonParseException p) {
        String path = path(m.getPath());
        return "the body is not valid JSON: " + syntax(p) + (path.isEmpty() ? "" : " in " + path) + at(p);
      }
      return describeMapping(m, body);
    }
    return "the body is not valid JSON: " + syntax(e) + at(e);
  }

  private static String describeMapping(JsonMappingException e, byte[] body) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (original.startsWith("No content to map")) return "the body is empty; it must be a JSON object";
    if (original.startsWith("Trailing token")) return "the body has more after its JSON value" + at(e);
    List<JsonMappingException.Reference> refs = e.getPath();
    String path = path(refs);
    if (e instanceof Refused) {
      return (path.isEmpty() ? "the body" : path) + ": " + original;
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field " + path + " (" + fieldsOf(u) + ")";
    }
    Class<?> target = null;
    InputCoercionException range = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof InputCoercionException ic) range = ic;
    }
    if (range != null) target = range.getTargetType();
    else if (e instanceof MismatchedInputException mi) target = mi.getTargetType();
    if (target == null) return (path.isEmpty() ? "the body" : path) + ": " + firstLine(original);
    String expected = expected(target, range != null);
    String got = received(body, refs);
    if (got == null && e instanceof InvalidFormatException f && f.getValue() != null) {
      try {
        got = shortValue(MAPPER.valueToTree(f.getValue()));
      } catch (RuntimeException notJson) {
        // left out: the message still says which field and what it must be
      }
    }
    // 1e10 or 5.0 is a whole number to a person, not to the API: say how to write one
    String hint = expected.startsWith("a whole number") && got != null && got.matches("-?\\d+(\\.\\d+)?[eE][-+]?\\d+|-?\\d+\\.0+")
        ? " (write a whole number in digits, without a fraction or an exponent)" : "";
    return (path.isEmpty() ? "the body" : path) + " must be " + (path.isEmpty() && expected.equals("an object") ? "a JSON object" : expected)
        + (got == null ? "" : ", got " + got) + hint;
  }

  /** The JSON path of a problem: {@code limits.maxOpenPositions}, {@code items[2]}; empty for the body itself. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (var ref : refs) {
      if (ref.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
    }
    return sb.toString();
  }

  /** The fields a request takes, in their declared order. */
  private static String fieldsOf(UnrecognizedPropertyException u) {
    Class<?> c = u.getReferringClass();
    List<String> names = new ArrayList<>();
    if (c != null && c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) names.add(rc.getName());
    } else if (u.getKnownPropertyIds() != null) {
      for (Object o : u.getKnownPropertyIds()) names.add(String.valueOf(o));
      java.util.Collections.sort(names);
    }
    return names.isEmpty() ? "it takes no fields" : "the fields are " + String.join(", ", names);
  }

  /** What a value of {@code type} is called in the API's JSON. */
  static String expected(Class<?> type, boolean withRange) {
    if (type == String.class || type == Character.class || type == char.class) return "a string";
    if (type == Integer.class || type == int.class) return "a whole number" + (withRange ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "");
    if (type == Long.class || type == long.class) return "a whole number" + (withRange ? " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE : "");
    if (type == Short.class || type == short.class || type == Byte.class || type == byte.class || type == java.math.BigInteger.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) return "a number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class || type == java.time.ZonedDateTime.class) {
      return "an ISO-8601 time such as 2026-11-26T09:00:00Z";
    }
    if (type == java.time.Duration.class) return "an ISO-8601 duration such as PT30M";
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object c : type.getEnumConstants()) names.add(((Enum<?>) c).name());
      return "one of " + String.join(", ", names);
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) return "an array";
    return "an object";
  }

  /** The value sent at {@code refs}, if the body is JSON and the value short enough to quote. */
  private static String received(byte[] body, List<JsonMappingException.Reference> refs) {
    if (body == null) return null;
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (java.io.IOException | RuntimeException e) {
      return null; // a syntax error further on: the value is not quoted
    }
    for (var ref : refs) {
      if (node == null) return null;
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node == null || node.isMissingNode() ? null : shortValue(node);
  }

  private static final int QUOTE_UP_TO = 40;

  private static String shortValue(JsonNode n) {
    if (n.isObject()) return "an object";
    if (n.isArray()) return "an array";
    if (n.isNull()) return "null";
    if (n.isTextual()) {
      String t = n.textValue();
      return t.length() <= QUOTE_UP_TO ? toJson(t) : "a string of " + t.length() + " characters";
    }
    String t = n.asText();
    return t.length() <= QUOTE_UP_TO ? t : "a number of " + t.length() + " digits";
  }

  /** A JSON syntax error in words: what was found where a value or a delimiter belongs. */
  private static String syntax(JsonProcessingException e) {
    if (e instanceof JsonEOFException) return "it ends before its last value or bracket is complete";
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    Matcher x;
    if ((x = UNRECOGNIZED.matcher(m)).find()) {
      String token = x.group(1).length() > QUOTE_UP_TO ? x.group(1).substring(0, QUOTE_UP_TO) + "..." : x.group(1);
      return "unexpected '" + token + "' where a value belongs (a string must be in double quotes)";
    }
    if ((x = CONTROL.matcher(m)).find()) return "a control character (code " + x.group(1) + ") outside a string";
    if (m.startsWith("Illegal unquoted character")) return "a control character inside a string (write it as an escape, e.g. \\n)";
    if ((x = UNEXPECTED.matcher(m)).find()) {
      String what = x.group(2).contains("expected a value") ? "where a value belongs"
          : x.group(2).contains("double-quote") ? "where a field name in double quotes belongs"
          : x.group(2).contains("comma") || x.group(2).contains("close marker") ? "where a comma or a closing bracket belongs"
          : "";
      return "unexpected character '" + x.group(1) + "'" + (what.isEmpty() ? "" : " " + what);
    }
    if (m.startsWith("Invalid UTF-8")) return "it is not UTF-8 text";
    if ((x = NON_STANDARD.matcher(m)).find()) return "'" + x.group(1) + "' is not a JSON number; send a number";
    if ((x = DUPLICATE.matcher(m)).find()) return "field " + x.group(1) + " is given twice";
    return firstLine(m);
  }

  /** Anything else: Jackson's first line, without Java type names or configuration hints. */
  private static String firstLine(String m) {
    int cut = m.indexOf('\n');
    if (cut > 0) m = m.substring(0, cut);
    return m.replaceAll("\\((?:class|but) [^)]*\\)", "").replaceAll("`[^`]*`", "a value").replaceAll("(?:[a-z]+\\.)+[A-Z][A-Za-z$]*", "a value")
        .replaceAll("\\s+", " ").trim();
  }

  private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '(.*?)': was expecting", Pattern.DOTALL);
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*?)'", Pattern.DOTALL);
  private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '(.*?)'");
  private static final Pattern CONTROL = Pattern.compile("^Illegal character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
  private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.*?)' \\(code \\d+[^)]*\\)\\):?(.*)", Pattern.DOTALL);

  private static String at(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
