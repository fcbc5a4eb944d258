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
import com.quantumtrader.common.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

  /** Replies with the equal-weight index of the bars released so far (see {@link EqualWeightIndex}). */
  public record GetMarketIndex(ActorRef<EqualWeightIndex.Snapshot> replyTo) implements Command {}

  /** The index's volatility window and drawdown look-back, in time steps of the bars' interval. */
  public static final int INDEX_VOL_WINDOW = 24;
  public static final int INDEX_PEAK_WINDOW = 168;

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
    return create(settings, null, deliver, null);
  }

  /**
   * With a given source (benchmarks, tests; null opens the one the settings name) and a receiver of
   * latencies (nanoseconds from a batch's oldest bar reaching the feed to the rankers acknowledging
   * it, i.e. to its score being visible; null for none).
   */
  public static Behavior<Command> create(MarketSettings settings, BarSource given, Delivery deliver, java.util.function.LongConsumer latency) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      var log = ctx.getLog();
      String name = given != null ? "given source" : settings.feed() == MarketSettings.Kind.CSV ? "csv " + settings.data()
          : "synthetic (" + settings.syntheticSymbols() + " symbols, " + settings.syntheticInterval() + ")";
      BarSource source;
      try {
        source = given != null ? given : settings.open(new RejectCounts());
      } catch (FeedException e) {
        log.error("market feed {} cannot start: {}", name, e.getMessage());
        return failed(name, e.getMessage());
      }
      AtomicLong delivered = new AtomicLong(), undelivered = new AtomicLong();
      var executor = ctx.getExecutionContext();
      String speed = settings.speed() == 0 ? "as fast as possible" : settings.speed() + "x real time";
      log.info("market feed {} started, {}, symbols {}", name, speed, source.symbols().size() > 20
          ? source.symbols().subList(0, 20) + " and " + (source.symbols().size() - 20) + " more" : source.symbols());

      var scheduler = ctx.getSystem().classicSystem().scheduler();
      Pacer pacer = new Pacer(settings.speed());
      // Written by the stream's map stage (one at a time), read by the actor: an immutable snapshot.
      EqualWeightIndex index = new EqualWeightIndex(INDEX_VOL_WINDOW, INDEX_PEAK_WINDOW);
      AtomicReference<EqualWeightIndex.Snapshot> indexNow = new AtomicReference<>(EqualWeightIndex.Snapshot.EMPTY);
      UniqueKillSwitch kill = Source.fromIterator(() -> chunks(source, settings.speed() > 0, CHUNK))
          .withAttributes(ActorAttributes.dispatcher("akka.actor.default-blocking-io-dispatcher"))
          .async()
          // Pacing waits on the scheduler, not on a thread, so that the stream stops at once.
          .mapAsync(1, chunk -> {
            long wait = pacer.waitNanos(chunk.get(0).openTime());
            if (wait <= 0) return CompletableFuture.completedFuture(chunk);
            return Futures.on(akka.pattern.Patterns.after(Duration.ofNanos(wait), scheduler, executor,
                () -> CompletableFuture.completedFuture(chunk)), executor);
          })
          .map(chunk -> {
            long now = System.nanoTime(); // a bar "arrives" when it is released
            List<BarBatcher.Arrived> a = new ArrayList<>(chunk.size());
            for (Bar b : chunk) {
              a.add(new BarBatcher.Arrived(b, now));
              index.update(b);
            }
            indexNow.set(index.snapshot());
            return a;
          })
          .batchWeighted(settings.batchSize(), c -> (long) c.size(), c -> new ArrayList<>(c), (acc, c) -> {
            acc.addAll(c);
            return acc;
          })
          .mapConcat(BarBatcher::splitArrived)
          .viaMat(KillSwitches.single(), Keep.right())
          .mapAsyncUnordered(settings.parallelism(), b -> Futures.on(deliver.apply(b), executor).handle((ok, err) -> {
            if (err == null) {
              delivered.addAndGet(b.openTime().length);
              if (latency != null && b.arrivalNanos() != 0) latency.accept(System.nanoTime() - b.arrivalNanos());
            } else {
              undelivered.addAndGet(b.openTime().length);
              log.warn("market feed: {} bars of {} not delivered: {}", b.openTime().length, b.symbol(), err.getMessage());
            }
            return Done.getInstance();
          }))
          .toMat(Sink.ignore(), Keep.both())
          .mapMaterializedValue(p -> {
            Futures.on(p.second(), executor).whenComplete((d, err) -> ctx.getSelf().tell(new Finished(err)));
            return p.first();
          })
          .run(ctx.getSystem());
      timers.startTimerWithFixedDelay(LogTick.INSTANCE, Duration.ofSeconds(30));
      Progress progress = new Progress();

      return Behaviors.receive(Command.class)
          .onMessage(GetStatus.class, m -> {
            m.replyTo().tell(new Status(name, progress.state, delivered.get(), undelivered.get(), source.rejects().rejectedTotal(),
                source.rejects().snapshot(), progress.error));
            return Behaviors.same();
          })
          .onMessage(GetMarketIndex.class, m -> {
            m.replyTo().tell(indexNow.get());
            return Behaviors.same();
          })
          .onMessageEquals(LogTick.INSTANCE, () -> {
            long now = System.nanoTime(), d = delivered.get();
            log.info("market feed: {} bars delivered ({} bars/s), {} rejected rows", d,
                String.format("%,.0f", (d - progress.loggedBars) / ((now - progress.loggedNanos) / 1e9)), source.rejects().rejectedTotal());
            progress.loggedBars = d;
            progress.loggedNanos = now;
            return Behaviors.same();
          })
          .onMessage(Finished.class, m -> {
            if (m.failure() == null) {
              progress.state = "COMPLETED";
              log.info("market feed {} completed: {} bars delivered, {} rejected rows {}", name, delivered.get(),
                  source.rejects().rejectedTotal(), source.rejects().snapshot());
            } else {
              progress.state = "FAILED";
              progress.error = m.failure().getMessage();
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
        .onMessage(GetMarketIndex.class, m -> {
          m.replyTo().tell(EqualWeightIndex.Snapshot.EMPTY);
          return Behaviors.same();
        })
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .build();
  }

  /** The feed actor's own mutable state (touched only by the actor). */
  private static final class Progress {
    String state = "RUNNING";
    String error;
    long loggedBars;
    long loggedNanos = System.nanoTime();
  }

  /** Bars leave the source in chunks of at most this many: the stream's cost is per element. */
  static final int CHUNK = 1024;

  /**
   * The source as an iterator of chunks of bars. With {@code byTimeStep} a chunk holds bars of one
   * open time only (so that pacing can release each time step when it is due); otherwise chunks are
   * full.
   */
  static Iterator<List<Bar>> chunks(BarSource source, boolean byTimeStep, int max) {
    return new Iterator<>() {
      Bar next = source.next();

      public boolean hasNext() {
        return next != null;
      }

      public List<Bar> next() {
        if (next == null) throw new NoSuchElementException();
        List<Bar> chunk = new ArrayList<>(byTimeStep ? 64 : max);
        long t = next.openTime();
        do {
          chunk.add(next);
          next = source.next();
        } while (next != null && chunk.size() < max && (!byTimeStep || next.openTime() == t));
        return chunk;
      }
    };
  }

  /** When bar time should be released so that it runs at {@code speed} × real time (0: at once). */
  static final class Pacer {
    private final double speed;
    private long firstBarTime = Long.MIN_VALUE;
    private long startNanos;

    Pacer(double speed) {
      this.speed = speed;
    }

    long waitNanos(long barTime) {
      if (speed <= 0) return 0;
      if (firstBarTime == Long.MIN_VALUE) {
        firstBarTime = barTime;
        startNanos = System.nanoTime();
      }
      return startNanos + (long) ((barTime - firstBarTime) * 1_000_000.0 / speed) - System.nanoTime();
    }
  }

  /** A delivery that completes at once (for tests of the feed alone). */
  public static Delivery discard() {
    return b -> CompletableFuture.completedFuture(Done.getInstance());
  }
}
