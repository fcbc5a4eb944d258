package com.quantumtrader.bus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.quantumtrader.common.CborSerializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The common envelope of every bus event.
 *
 * @param eventId unique id of this event
 * @param time when the fact happened
 * @param source who published it (a component name, e.g. {@code policy-store})
 * @param payload the typed body; its type is the event's type
 */
public record EventEnvelope(String eventId, Instant time, String source, EventPayload payload)
    implements CborSerializable {

  public EventEnvelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
  }

  public static EventEnvelope of(String source, EventPayload payload) {
    return new EventEnvelope(UUID.randomUUID().toString(), Instant.now(), source, payload);
  }

  /** The event's type, derived from its payload (written to JSON for readers, ignored on input). */
  @JsonProperty(value = "type", access = JsonProperty.Access.READ_ONLY)
  public EventType type() {
    return payload.type();
  }
}
