package com.quantumtrader.common;

import java.util.Optional;

/**
 * The stash capacity of the event-sourced components that are asked to read (status, portfolio,
 * lists) or sent commands that write nothing (a batch of bars seen already), while they restart or
 * recover, e.g. during a database outage.
 *
 * <p>Akka 2.8 handles a run of stashed commands that persist nothing recursively (akka/akka-core
 * #29933, fixed in 2.9): about a thousand of them overflow the stack, and the JVM exits on that fatal
 * error. A node whose database was away for a minute or more crashed so as it recovered. With at most
 * 500 stashed, the run stays well short of that; a command past the capacity is dropped (its caller's
 * ask times out, and the feed offers a batch again).
 */
public final class StashLimit {
  private StashLimit() {}

  public static final int CAPACITY = 500;

  public static Optional<Integer> capacity() {
    return Optional.of(CAPACITY);
  }
}
