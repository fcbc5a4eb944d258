package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * A paced replay that fell behind (the stream waited on a restarting broker) goes on at its pace
 * from where it is, instead of releasing the bars it is late for in a burst.
 */
public class PacerTest {
  private static final long HOUR = 3_600_000L;
  private static final long S = 1_000_000_000L;

  @Test
  public void afterAStallTheReplayGoesOnAtItsPaceInsteadOfCatchingUp() {
    MarketFeed.Pacer p = new MarketFeed.Pacer(3600); // an hour of bars a second
    assertEquals(0, p.waitNanos(0, 0));
    assertEquals(S, p.waitNanos(HOUR, 0));
    // the stream waited 10 s: the bar due at 2 s is released now, not with the 8 after it
    assertEquals(0, p.waitNanos(2 * HOUR, 10 * S));
    assertEquals(S, p.waitNanos(3 * HOUR, 10 * S));
    assertEquals(2 * S, p.waitNanos(4 * HOUR, 10 * S));
    // a lag under a second is still made up (a busy moment, not a stall)
    assertEquals(-S / 2, p.waitNanos(5 * HOUR, 13 * S + S / 2));
    assertEquals(S / 2, p.waitNanos(6 * HOUR, 13 * S + S / 2));
  }

  @Test
  public void atFullSpeedNothingWaits() {
    MarketFeed.Pacer p = new MarketFeed.Pacer(0);
    assertEquals(0, p.waitNanos(0, 0));
    assertEquals(0, p.waitNanos(HOUR, 50 * S));
  }
}
