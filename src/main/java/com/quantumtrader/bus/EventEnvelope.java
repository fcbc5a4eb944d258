package com.quantumtrader.bus;

import akka.actor.DeadLetterSuppression;
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
 *
 * <p>A {@link DeadLetterSuppression}: a topic drops an event of a type nobody in the cluster
 * subscribes to (a trade with no {@code events --follow} running), which is normal and must not be
 * logged as a dead letter, where it would read as a fault and use up the ten lines the dead-letter log
 * allows before five minutes of silence. A subscriber's missed events are the bus's own business
 * (acknowledgements, {@code subscriber 'X' is too slow}).
 */
public record EventEnvelope(String eventId, Instant time, String source, EventPayload payload)
    implements CborSerializable, DeadLetterSuppression {

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
