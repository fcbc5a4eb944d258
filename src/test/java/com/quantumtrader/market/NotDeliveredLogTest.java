package com.quantumtrader.market;

import static org.junit.Assert.assertEquals;

import com.quantumtrader.testsupport.CapturedLogs;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.Test;

/** Batches not delivered are one line per 10 s, not a line per batch (an outage gave 650 lines in 51 s). */
public class NotDeliveredLogTest {
  @Test
  public void manyFailedBatchesAreOneLineWithTheirCount() {
    try (CapturedLogs logs = new CapturedLogs()) {
      MarketFeed.NotDelivered n = new MarketFeed.NotDelivered(org.slf4j.LoggerFactory.getLogger("not-delivered-test"));
      n.note("BTCUSDT", 2, new TimeoutException("Ask timed out"));
      for (int i = 0; i < 100; i++) n.note(i % 2 == 0 ? "ETHUSDT" : "ADAUSDT", 1, new TimeoutException("Ask timed out"));
      n.flush();
      n.flush(); // nothing new: no line
      for (int i = 0; i < 10; i++) n.note(String.format("S%02dUSDT", i), 3, new TimeoutException("Ask timed out"));
      n.flush(); // many symbols: the first five named
      List<String> lines = logs.warnings().stream().filter(m -> m.startsWith("market feed:")).toList();
      assertEquals(lines.toString(), List.of(
          "market feed: 2 bars (1 batch) of BTCUSDT not delivered since the last such line; last error: Ask timed out",
          "market feed: 100 bars (100 batches) of ADAUSDT, ETHUSDT not delivered since the last such line; last error: Ask timed out",
          "market feed: 30 bars (10 batches) of S00USDT, S01USDT, S02USDT, S03USDT, S04USDT and 5 more not delivered since the"
              + " last such line; last error: Ask timed out"),
          lines);
    }
  }
}
