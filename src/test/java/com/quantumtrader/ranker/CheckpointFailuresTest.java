package com.quantumtrader.ranker;

import static org.junit.Assert.assertEquals;

import com.quantumtrader.testsupport.CapturedLogs;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The rankers' failed checkpoints are one line per 10 s for all symbols, not a line per symbol and try. */
public class CheckpointFailuresTest {
  @Test
  public void failuresOfManySymbolsAreOneLineEveryTenSeconds() {
    try (CapturedLogs logs = new CapturedLogs()) {
      AtomicLong now = new AtomicLong(1_000_000);
      CheckpointFailures f = new CheckpointFailures(org.slf4j.LoggerFactory.getLogger("checkpoint-failures-test"), now::get);
      f.note("BTCUSDT", "Connection is not available"); // the first is logged at once
      for (int round = 0; round < 3; round++) {
        for (String s : List.of("ETHUSDT", "ADAUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "DOTUSDT", "BTCUSDT")) f.note(s, "refused");
        now.addAndGet(4_000);
      }
      f.note("ETHUSDT", "refused"); // 12 s after the first line: logged with the 21 before it
      f.flush(); // nothing since: no line
      f.note("SOLUSDT", "refused"); // within 10 s of the last line: held
      f.succeeded(); // a checkpoint succeeds within those 10 s: still held (a flaky database is not a line per failure)
      now.addAndGet(10_000);
      f.succeeded(); // one 10 s later: the held failure is logged
      f.stoppedUnsaved("ADAUSDT", "refused"); // the node stops with the database away: logged with the next line
      f.stoppedUnsaved("BNBUSDT", "refused");
      f.flush(); // at the node's shutdown
      List<String> lines = logs.warnings().stream().filter(m -> m.startsWith("rankers:")).toList();
      assertEquals(List.of(
          "rankers: 1 checkpoint failed since the last such line (1 symbol: BTCUSDT); they are retried; last error: Connection is not available",
          "rankers: 22 checkpoints failed since the last such line (7 symbols: ADAUSDT, BNBUSDT, BTCUSDT, DOTUSDT, ETHUSDT,"
              + " SOLUSDT, XRPUSDT); they are retried; last error: refused",
          "rankers: 1 checkpoint failed since the last such line (1 symbol: SOLUSDT); they are retried; last error: refused",
          "rankers: 2 checkpoints failed since the last such line (2 symbols: ADAUSDT, BNBUSDT); 2 rankers stopped without their last"
              + " bars checkpointed (the feed sends those bars again at the next start); last error: refused"), lines);
    }
  }
}
