package com.quantumtrader.bus;

import akka.actor.typed.ActorRef;

/**
 * An event handed to a subscriber, which must call {@link #ack()} on every delivery once it has
 * handled it. At most {@code delivery-window} events are in its mailbox unacknowledged; the rest
 * wait in its bounded buffer.
 *
 * <p>Acks are cumulative (acking N acknowledges everything before N), so the bus asks for a real
 * one only every half window and when the window fills, like a TCP delayed ack: {@link #ack()} on
 * the other deliveries sends nothing. That saves one message per event.
 *
 * @param ackRequested whether {@link #ack()} sends an acknowledgement for this delivery
 */
public record Delivery(EventEnvelope event, long seqNr, ActorRef<Acknowledge> ackTo, boolean ackRequested) {
  public void ack() {
    if (ackRequested) ackTo.tell(new Acknowledge(seqNr));
  }

  /** Sent back by a subscriber: every delivery up to and including {@code seqNr} is handled. */
  public record Acknowledge(long seqNr) implements Subscription.Msg {}
}
