package com.quantumtrader.cli;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

/** How {@code strategies show} prints a track record or a backtest window. */
public class StrategiesShowTest {
  @Test
  public void aRecordSaysTheDaysItCovers() throws Exception {
    var r = new ObjectMapper().readTree(
        "{\"trades\": 42, \"days\": 299.83, \"totalReturn\": 0.052, \"sharpe\": 1.234, \"maxDrawdown\": 0.081, \"profitFactor\": 1.5}");
    assertEquals("42 trades over 299.8 days, return 5.2%, Sharpe 1.23, max drawdown 8.1%, profit factor 1.50",
        StrategiesCommand.Show.record(r));
    assertEquals("-", StrategiesCommand.Show.record(null));
  }
}
