package com.quantumtrader.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;

public class ComponentRegistryTest {

  @Test
  public void aComponentRestartedOftenWithinTheWindowIsReportedAsFailing() {
    ComponentRegistry r = new ComponentRegistry(3, Duration.ofMinutes(5));
    r.started("ranker");
    ComponentRegistry.Status s = r.snapshot().get(0);
    assertEquals(0, s.restarts());
    assertFalse(s.failing());
    r.started("ranker");
    r.started("ranker");
    assertFalse(r.snapshot().get(0).failing());
    r.started("ranker");
    s = r.snapshot().get(0);
    assertEquals(3, s.restarts());
    assertTrue(s.failing());
  }

  @Test
  public void oldRestartsStopCounting() throws Exception {
    ComponentRegistry r = new ComponentRegistry(2, Duration.ofMillis(100));
    r.started("x");
    r.started("x");
    r.started("x");
    assertTrue(r.snapshot().get(0).failing());
    Thread.sleep(150); // the window is the unit under test here, not an actor
    assertFalse(r.snapshot().get(0).failing());
    assertEquals(2, r.snapshot().get(0).restarts());
  }
}
