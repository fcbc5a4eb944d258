package com.quantumtrader.ranker;

import com.quantumtrader.common.FailureTally;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The rankers' failed checkpoints, logged as one line per 10 s for all symbols, with their count,
 * the first few symbols and the last error. While the database is away every symbol's ranker fails
 * its checkpoint and retries: a line each was about 60 lines a minute for 14 symbols, and would be
 * thousands for a node ranking a few hundred.
 */
final class CheckpointFailures implements akka.actor.typed.Extension {
  static final long EVERY_MS = 10_000;

  private final Logger log;
  private final FailureTally tally;
  private long stoppedUnsaved;

  CheckpointFailures(Logger log, LongSupplier clock) {
    this.log = log;
    this.tally = new FailureTally(EVERY_MS, clock);
  }

  /** One node's rankers share one (their log lines are about the node's database). */
  static final class Id extends akka.actor.typed.ExtensionId<CheckpointFailures> {
    @Override
    public CheckpointFailures createExtension(akka.actor.typed.ActorSystem<?> system) {
      CheckpointFailures f = new CheckpointFailures(org.slf4j.LoggerFactory.getLogger(RankerWorker.class), System::currentTimeMillis);
      // what is held back when the node stops is logged before it is gone
      try {
        akka.actor.CoordinatedShutdown.get(system).addTask(akka.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "log-ranker-checkpoint-failures", () -> {
              f.flush();
              return java.util.concurrent.CompletableFuture.completedFuture(akka.Done.getInstance());
            });
      } catch (RuntimeException alreadyStopping) {
        // made while the node stops (no ranker had started before): nothing to hold back yet
      }
      return f;
    }
  }

  private static final Id ID = new Id();

  static CheckpointFailures get(akka.actor.typed.ActorSystem<?> system) {
    return ID.apply(system);
  }

  synchronized void note(String symbol, String error) {
    tally.note(symbol, error);
    if (tally.due()) flush();
  }

  /** A ranker stopped (its node stopping) without its last bars checkpointed: they are sent again at the next start. */
  synchronized void stoppedUnsaved(String symbol, String error) {
    stoppedUnsaved++;
    note(symbol, error);
  }

  /** As a checkpoint succeeds: the failures held back, if 10 s have passed since the last such line. */
  synchronized void succeeded() {
    if (tally.due()) flush();
  }

  /** The failures held back, now (as a ranker stops, or when due). */
  synchronized void flush() {
    long failures = tally.count();
    if (failures == 0) return;
    int symbols = tally.symbolCount();
    log.warn("rankers: {} checkpoint{} failed since the last such line ({} symbol{}: {}); {}; last error: {}", failures,
        failures == 1 ? "" : "s", symbols, symbols == 1 ? "" : "s", tally.symbols(), stoppedUnsaved == 0 ? "they are retried"
            : stoppedUnsaved + " ranker" + (stoppedUnsaved == 1 ? "" : "s") + " stopped without their last bars checkpointed"
                + " (the feed sends those bars again at the next start)", tally.lastError());
    stoppedUnsaved = 0;
    tally.logged();
  }
}
