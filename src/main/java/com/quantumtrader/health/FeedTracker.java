package com.quantumtrader.health;

import com.quantumtrader.health.HealthObservation.Feed;
import com.quantumtrader.health.HealthObservation.FeedState;
import java.util.ArrayDeque;

/**
 * Turns the feed's successive status answers (running totals) into what {@link HealthRules}
 * judges: how long the delivered count has not grown, and the rows read and rejected within the
 * reject-rate window. Time is passed in, so it is tested without waiting.
 */
final class FeedTracker {
  private record Sample(long atMs, long rows, long rejected) {}

  private final long windowMs;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long lastDelivered = -1;
  private long lastProgressMs = Long.MIN_VALUE;

  FeedTracker(long windowMs) {
    this.windowMs = windowMs;
  }

  /** The feed answered with these totals at {@code nowMs}. */
  Feed answered(long nowMs, String state, long delivered, long undelivered, long rejected, String error) {
    FeedState s = parse(state);
    long rows = delivered + undelivered + rejected;
    if (!samples.isEmpty() && (rows < samples.peekLast().rows() || rejected < samples.peekLast().rejected())) {
      samples.clear(); // a new feed instance (restart, hand-over): its counts start again
    }
    samples.addLast(new Sample(nowMs, rows, rejected));
    // Keep one sample at or before the window's start, as the baseline.
    while (samples.size() > 1 && nowMs - windowMs >= secondOldest().atMs()) samples.pollFirst();
    if (s != FeedState.RUNNING || delivered != lastDelivered || lastProgressMs == Long.MIN_VALUE) {
      lastProgressMs = nowMs;
    }
    lastDelivered = delivered;
    Sample base = samples.peekFirst();
    return new Feed(true, s, s == FeedState.RUNNING ? nowMs - lastProgressMs : 0, delivered, rejected,
        rows - base.rows(), rejected - base.rejected(), error);
  }

  /** The feed did not answer in time (or could not be reached). */
  Feed silent(long nowMs, String why) {
    if (lastProgressMs == Long.MIN_VALUE) lastProgressMs = nowMs;
    Sample last = samples.peekLast(), base = samples.peekFirst();
    return new Feed(true, FeedState.UNKNOWN, nowMs - lastProgressMs, Math.max(0, lastDelivered),
        last == null ? 0 : last.rejected(), last == null ? 0 : last.rows() - base.rows(),
        last == null ? 0 : last.rejected() - base.rejected(), why);
  }

  private Sample secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next();
  }

  private static FeedState parse(String state) {
    try {
      return FeedState.valueOf(state);
    } catch (RuntimeException e) {
      return FeedState.UNKNOWN;
    }
  }
}
