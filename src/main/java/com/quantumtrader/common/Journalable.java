package com.quantumtrader.common;

import akka.actor.ClassicActorSystemProvider;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;

/**
 * Whether an event can be journaled: written with the node's serializer and read back. The journal rejects an event it cannot serialize, and Akka then restarts the component with
 * backoff (the caller's write is unanswered, and every caller waits out the restart); an event that
 * is written but cannot be read back would fail the component's recovery on every start. A command
 * handler that journals what an operator typed checks it here first and answers the problem as a
 * refusal instead. The API already refuses the one input found to do this (a lone UTF-16 surrogate
 * in a text); this is the net under it, for sources not found yet.
 */
public final class Journalable {
  private Journalable() {}

  /** Null when {@code event} writes and reads back; otherwise why not, in one line. */
  public static String problem(ClassicActorSystemProvider system, Object event) {
    Serialization serialization = SerializationExtension.get(system);
    try {
      Serializer serializer = serialization.findSerializerFor(event);
      byte[] bytes = serializer.toBinary(event);
      serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event)).get();
      return null;
    } catch (Exception e) {
      return reason(e);
    }
  }

  /**
   * The refusal to answer when {@code event}, an operator's change by {@code by}, cannot be journaled
   * ({@code "cannot be journaled: ..."}, also logged as a WARN of {@code component}); null when it can.
   */
  public static String refusal(ClassicActorSystemProvider system, Object event, org.slf4j.Logger log, String component, String by) {
    String problem = problem(system, event);
    if (problem == null) return null;
    log.warn("{}: {} by {} refused: it cannot be journaled ({})", component, event.getClass().getSimpleName(), by, problem);
    return "cannot be journaled: " + problem;
  }

  /** Jackson's own words and the field, without its chain of internal class names; other failures in one line. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
        String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
        String words = ConfigReader.oneLine(new RuntimeException(m.getOriginalMessage()));
        return field.isEmpty() ? words : words + " (field " + field + ")";
      }
    }
    return ConfigReader.oneLine(e);
  }
}
