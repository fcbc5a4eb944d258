package com.quantumtrader.market;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.ActorAttributes;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.quantumtrader.common.CborSerializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs the node's market feed: reads a {@link BarSource} (on the blocking dispatcher: file reads
 * and pacing), groups bars into per-symbol batches, and hands each batch to the rankers through
 * {@code deliver}, with at most {@code parallelism} batches unacknowledged (backpressure: a replay
 * at full speed cannot flood the rankers' mailboxes). One per cluster, as a singleton, so bars are
 * not delivered twice.
 */
public final class MarketFeed {
  private MarketFeed() {}

  public sealed interface Command extends CborSerializable {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param state RUNNING, COMPLETED (a finite source ended), or FAILED (with the reason)
   */
  public record Status(String feed, String state, long barsDelivered, long barsUndelivered, long rejected,
      Map<String, Map<RejectReason, Long>> rejectedBySymbol, String error) implements CborSerializable {}

  public enum Stop implements Command {
    INSTANCE
  }

  private record Finished(Throwable failure) implements Command {}

  private enum LogTick implements Command {
    INSTANCE
  }

  /** Delivers one batch, completing when the rankers have taken it. */
  public interface Delivery extends Function<BarBatcher.Batch, CompletionStage<Done>> {}

  public static Behavior<Command> create(MarketSettings settings, Delivery deliver) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      var log = ctx.getLog();
      String name = settings.feed() == MarketSettings.Kind.CSV ? "csv " + settings.data() : "synthetic (" + settings.syntheticSymbols() + " symbols, " + settings.syntheticInterval() + ")";
      BarSource source;
      try {
        source = settings.open(new RejectCounts());
      } catch (FeedException e) {
        log.error("market feed {} cannot start: {}", name, e.getMessage());
        return failed(name, e.getMessage());
      }
      AtomicLong delivered = new AtomicLong(), undelivered = new AtomicLong();
      String speed = settings.speed() == 0 ? "as fast as possible" : settings.speed() + "x real time";
      log.info("market feed {} started, {}, symbols {}", name, speed, source.symbols().size() > 20
          ? source.symbols().subList(0, 20) + " and " + (source.symbols().size() - 20) + " more" : source.symbols());

      UniqueKillSwitch kill = Source.fromIterator(() -> paced(source, settings.speed()))
          .withAttributes(ActorAttributes.dispatcher("akka.actor.default-blocking-io-dispatcher"))
          .async()
          .groupedWithin(settings.batchSize(), Duration.ofMillis(2))
          .mapConcat(BarBatcher::split)
          .viaMat(KillSwitches.single(), Keep.right())
          .mapAsyncUnordered(settings.parallelism(), b -> deliver.apply(b).handle((ok, err) -> {
            if (err == null) {
              delivered.addAndGet(b.openTime().length);
            } else {
              undelivered.addAndGet(b.openTime().length);
              log.warn("market feed: {} bars of {} not delivered: {}", b.openTime().length, b.symbol(), err.getMessage());
            }
            return Done.getInstance();
          }))
          .toMat(Sink.ignore(), Keep.both())
          .mapMaterializedValue(p -> {
            p.second().whenComplete((d, err) -> ctx.getSelf().tell(new Finished(err)));
            return p.first();
          })
          .run(ctx.getSystem());
      timers.startTimerWithFixedDelay(LogTick.INSTANCE, Duration.ofSeconds(30));
      long[] lastLogged = {0, System.nanoTime()};
      String[] state = {"RUNNING"};
      String[] error = {null};

      return Behaviors.receive(Command.class)
          .onMessage(GetStatus.class, m -> {
            m.replyTo().tell(new Status(name, state[0], delivered.get(), undelivered.get(), source.rejects().rejectedTotal(),
                source.rejects().snapshot(), error[0]));
            return Behaviors.same();
          })
          .onMessageEquals(LogTick.INSTANCE, () -> {
            long now = System.nanoTime(), d = delivered.get();
            log.info("market feed: {} bars delivered ({} bars/s), {} rejected rows", d,
                String.format("%,.0f", (d - lastLogged[0]) / ((now - lastLogged[1]) / 1e9)), source.rejects().rejectedTotal());
            lastLogged[0] = d;
            lastLogged[1] = now;
            return Behaviors.same();
          })
          .onMessage(Finished.class, m -> {
            if (m.failure() == null) {
              state[0] = "COMPLETED";
              log.info("market feed {} completed: {} bars delivered, {} rejected rows {}", name, delivered.get(),
                  source.rejects().rejectedTotal(), source.rejects().snapshot());
            } else {
              state[0] = "FAILED";
              error[0] = m.failure().getMessage();
              log.error("market feed {} failed: {}", name, m.failure().getMessage());
            }
            source.close();
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, () -> {
            kill.shutdown();
            source.close();
            return Behaviors.stopped();
          })
          .build();
    }));
  }

  private static Behavior<Command> failed(String name, String error) {
    return Behaviors.receive(Command.class)
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(new Status(name, "FAILED", 0, 0, 0, Map.of(), error));
          return Behaviors.same();
        })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  /** The source as an iterator, holding bars back so that bar time runs at {@code speed} × real time. */
  static Iterator<Bar> paced(BarSource source, double speed) {
    return new Iterator<>() {
      Bar next = source.next();
      long firstBarTime = Long.MIN_VALUE;
      long startNanos;

      public boolean hasNext() {
        return next != null;
      }

      public Bar next() {
        if (next == null) throw new NoSuchElementException();
        Bar b = next;
        if (speed > 0) {
          if (firstBarTime == Long.MIN_VALUE) {
            firstBarTime = b.openTime();
            startNanos = System.nanoTime();
          }
          long dueNanos = startNanos + (long) ((b.openTime() - firstBarTime) * 1_000_000.0 / speed);
          long wait = dueNanos - System.nanoTime();
          if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        next = source.next();
        return b;
      }
    };
  }

  /** A delivery that completes at once (for tests of the feed alone). */
  public static Delivery discard() {
    return b -> CompletableFuture.completedFuture(Done.getInstance());
  }
}
