package com.quantumtrader.bus;

import akka.actor.typed.ActorRef;

/**
 * An event handed to a subscriber. The subscriber calls {@link #ack()} once it has handled the
 * event (acks are cumulative: acking N acknowledges everything before N too). Until it does, at most
 * {@code delivery-window} events are in its mailbox and the rest wait in its bounded buffer.
 */
public record Delivery(EventEnvelope event, long seqNr, ActorRef<Acknowledge> ackTo) {
  public void ack() {
    ackTo.tell(new Acknowledge(seqNr));
  }

  /** Sent back by a subscriber: every delivery up to and including {@code seqNr} is handled. */
  public record Acknowledge(long seqNr) implements Subscription.Msg {}
}
