package com.quantumtrader.bus;

import java.util.Set;

/**
 * Live counters of one subscription. Written only by the subscription's actor, read by anyone (the
 * metrics and health views), hence plain volatile fields with a single writer.
 */
public final class SubscriptionStats {
  private final String name;
  private final Set<EventType> types;
  volatile long delivered;
  volatile long dropped;
  volatile long lost;
  volatile int buffered;

  SubscriptionStats(String name, Set<EventType> types) {
    this.name = name;
    this.types = Set.copyOf(types);
  }

  public String name() {
    return name;
  }

  public Set<EventType> types() {
    return types;
  }

  /** Events handed to the subscriber. */
  public long delivered() {
    return delivered;
  }

  /** Events dropped because the subscriber's buffer was full (oldest first). */
  public long dropped() {
    return dropped;
  }

  /** Events handed over but never acknowledged (the subscriber crashed or stalled past ack-timeout). */
  public long lost() {
    return lost;
  }

  /** Events waiting in the buffer now. */
  public int buffered() {
    return buffered;
  }

  @Override
  public String toString() {
    return "SubscriptionStats[" + name + " delivered=" + delivered + " dropped=" + dropped
        + " lost=" + lost + " buffered=" + buffered + "]";
  }
}
