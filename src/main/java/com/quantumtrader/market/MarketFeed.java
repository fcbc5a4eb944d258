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
import com.quantumtrader.common.ConfigReader;
import com.quantumtrader.common.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
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
   * @param waitingSeconds how long the oldest batch sent and not yet taken has waited for its
   *     consumers (the rankers, and with execution on the broker, which takes none while its journal
   *     is away): 0 when none has waited a second; while it grows the feed sends nothing newer than
   *     its parallelism allows
   * @param possibleBadTicks bars that spiked and came back ({@link SpikeWatch}), delivered as they came
   *     (a flash crash is real too), by symbol; empty when none
   */
  public record Status(String feed, String state, long barsDelivered, long barsUndelivered, long rejected,
      Map<String, Map<RejectReason, Long>> rejectedBySymbol, String error, long waitingSeconds, Map<String, Long> possibleBadTicks)
      implements CborSerializable {
    public Status {
      possibleBadTicks = possibleBadTicks == null ? Map.of() : possibleBadTicks; // null from a node of the version before
    }

    /** All symbols' possible bad ticks. */
    public long possibleBadTicksTotal() {
      return possibleBadTicks.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public enum Stop implements Command {
    INSTANCE
  }

  /** The stream of {@code from} ended (a restarted feed ignores its predecessor's). */
  private record Finished(UniqueKillSwitch from, Throwable failure) implements Command, akka.actor.DeadLetterSuppression {}

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
    if (given != null) return run(settings, given, deliver, latency, Long.MIN_VALUE, null);
    // A node's own feed resumes after the last bar it had delivered: a restart (or the singleton
    // moving) must not replay history to the broker and the orchestrator as if it were new.
    return Behaviors.setup(ctx -> Behaviors.withStash(10_000, stash -> {
      @SuppressWarnings("unchecked")
      akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store = akka.persistence.state.DurableStateStoreRegistry
          .get(ctx.getSystem()).getDurableStateStoreFor(akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.class,
              akka.persistence.jdbc.state.javadsl.JdbcDurableStateStore.Identifier());
      String pid = "market-feed|" + describe(settings);
      ctx.pipeToSelf(Futures.on(store.getObject(pid), ctx.getExecutionContext()), (r, err) -> {
        if (err != null) return new Resumed(Long.MIN_VALUE, 0, err.getMessage());
        var v = r.value();
        return v.isPresent() && v.get() instanceof Checkpoint c ? new Resumed(c.lastDelivered(), r.revision(), null)
            : new Resumed(Long.MIN_VALUE, r.revision(), null);
      });
      return Behaviors.receive(Command.class)
          .onMessage(Resumed.class, m -> {
            if (m.error() != null) {
              ctx.getLog().warn("market feed: could not read where it stopped ({}); starting from the beginning", m.error());
            } else if (m.after() != Long.MIN_VALUE) {
              ctx.getLog().info("market feed: resuming after {} (bars up to then were delivered before)",
                  java.time.Instant.ofEpochMilli(m.after()));
            }
            return stash.unstashAll(run(settings, null, deliver, latency, m.after(), new Saver(store, pid, m.revision())));
          })
          .onAnyMessage(m -> {
            stash.stash(m);
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** Where a feed stopped: the open time of the last bar of which every batch was acknowledged. */
  public record Checkpoint(long lastDelivered) implements CborSerializable {}

  private record Resumed(long after, long revision, String error) implements Command {}

  private enum SaveTick implements Command {
    INSTANCE
  }

  // the feed's messages to itself may arrive after it stopped (a stream ending, a save answered): not
  // worth a dead-letter line
  private record SaveDone(long revision, Throwable failure) implements Command, akka.actor.DeadLetterSuppression {}

  /** The checkpoint's revision as stored, read again after a failed save (-1: could not read it). */
  private record RevisionRead(long revision) implements Command, akka.actor.DeadLetterSuppression {}

  private enum SaveTimeout implements Command {
    INSTANCE
  }

  /** The durable-state store of a feed's checkpoint and its revision. */
  private static final class Saver {
    final akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store;
    final String pid;
    long revision;
    long saved = Long.MIN_VALUE;
    boolean saving;

    Saver(akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store, String pid, long revision) {
      this.store = store;
      this.pid = pid;
      this.revision = revision;
    }
  }

  static String describe(MarketSettings settings) {
    return settings.feed() == MarketSettings.Kind.CSV ? "csv " + settings.data()
        : "synthetic (" + settings.syntheticSymbols() + " symbols, " + settings.syntheticInterval() + ")";
  }

  private static Behavior<Command> run(MarketSettings settings, BarSource given, Delivery deliver,
      java.util.function.LongConsumer latency, long resumeAfter, Saver saver) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      var log = ctx.getLog();
      NotDelivered notDelivered = new NotDelivered(log);
      String name = given != null ? "given source" : describe(settings);
      BarSource source;
      try {
        source = given != null ? given : settings.open(new RejectCounts());
      } catch (FeedException e) {
        log.error("market feed {} cannot start: {}", name, e.getMessage());
        return failed(name, e.getMessage());
      }
      AtomicLong delivered = new AtomicLong(), undelivered = new AtomicLong();
      // Bars that spiked and came back: named in the log and the status, delivered as they came.
      // Watched from this start on (a spike across a restart of the feed is not seen).
      SpikeWatch spikes = new SpikeWatch(SpikeWatch.FACTOR);
      BadTicks badTicks = new BadTicks(log);
      // Set on Stop: batches still in flight then fail as the rankers' shards hand off; they are
      // counted, not logged one by one, and not in the checkpoint, so the next start sends them again.
      AtomicBoolean stopping = new AtomicBoolean();
      var executor = ctx.getExecutionContext();
      String speed = settings.speed() == 0 ? "as fast as possible" : settings.speed() + "x real time";
      log.info("market feed {} started, {}, symbols {}", name, speed, source.symbols().size() > 20
          ? source.symbols().subList(0, 20) + " and " + (source.symbols().size() - 20) + " more" : source.symbols());

      var scheduler = ctx.getSystem().classicSystem().scheduler();
      Pacer pacer = new Pacer(settings.speed());
      // Written by the stream's map stage (one at a time), read by the actor: an immutable snapshot.
      EqualWeightIndex index = new EqualWeightIndex(INDEX_VOL_WINDOW, INDEX_PEAK_WINDOW);
      AtomicReference<EqualWeightIndex.Snapshot> indexNow = new AtomicReference<>(EqualWeightIndex.Snapshot.EMPTY);
      // The highest bar time of which every batch so far is acknowledged (batches complete out of
      // order; a bar time is done when no batch of it or before is outstanding).
      DeliveredUpTo done = new DeliveredUpTo(resumeAfter);
      BarSource resumed = resumeAfter == Long.MIN_VALUE ? source : skipUpTo(source, resumeAfter);
      UniqueKillSwitch kill = Source.fromIterator(() -> chunks(resumed, settings.speed() > 0, CHUNK))
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
              SpikeWatch.Spike spike = spikes.observe(b);
              if (spike != null) badTicks.note(spike);
            }
            indexNow.set(index.snapshot());
            return a;
          })
          // At full speed, chunks are merged while the deliveries are busy (throughput). Paced, each
          // time step goes alone: merged, a stall let the steps released meanwhile reach the book as
          // one batch per symbol, days of bar time at once.
          .batchWeighted(settings.speed() > 0 ? 1 : settings.batchSize(), c -> settings.speed() > 0 ? 1L : (long) c.size(),
              c -> new ArrayList<>(c), (acc, c) -> {
            acc.addAll(c);
            return acc;
          })
          .mapConcat(BarBatcher::splitArrived)
          .map(b -> {
            done.sent(b.openTime()[0], b.openTime()[b.openTime().length - 1]);
            return b;
          })
          .viaMat(KillSwitches.single(), Keep.right())
          .mapAsyncUnordered(settings.parallelism(), b -> Futures.on(deliver.apply(b), executor).handle((ok, err) -> {
            done.acknowledged(b.openTime()[0]);
            if (err == null) {
              delivered.addAndGet(b.openTime().length);
              if (latency != null && b.arrivalNanos() != 0) latency.accept(System.nanoTime() - b.arrivalNanos());
            } else {
              undelivered.addAndGet(b.openTime().length);
              if (!stopping.get()) notDelivered.note(b.symbol(), b.openTime().length, err);
            }
            return Done.getInstance();
          }))
          .toMat(Sink.ignore(), Keep.both())
          .mapMaterializedValue(p -> {
            Futures.on(p.second(), executor).whenComplete((d, err) -> ctx.getSelf().tell(new Finished(p.first(), err)));
            return p.first();
          })
          .run(ctx.getSystem());
      timers.startTimerWithFixedDelay(LogTick.INSTANCE, Duration.ofSeconds(30));
      if (saver != null) timers.startTimerWithFixedDelay(SaveTick.INSTANCE, Duration.ofSeconds(2));
      Progress progress = new Progress();
      // When this node stops, the feed stops first: streaming on while the rankers' shards hand off
      // only sent batches to be dropped and waited for, and a checkpoint saved meanwhile (a failed
      // batch counts as done) made the next start skip them. Registered by the feed itself, so that
      // a node leaving the cluster stops its own feed, not the singleton that runs elsewhere.
      java.util.concurrent.CompletableFuture<Done> stoppedAndSaved = new java.util.concurrent.CompletableFuture<>();
      akka.actor.Cancellable stopFirst = akka.actor.CoordinatedShutdown.get(ctx.getSystem()).addCancellableTask(
          akka.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "stop-market-feed", () -> {
            ctx.getSelf().tell(Stop.INSTANCE);
            return stoppedAndSaved; // the phase waits (up to its timeout) for the checkpoint
          });

      return Behaviors.receive(Command.class)
          .onMessage(GetStatus.class, m -> {
            // files left out (unreadable) while the others go on: said as the feed's error, which health reports
            Map<String, String> out = source.leftOut();
            String error = progress.error != null || out.isEmpty() ? progress.error : "left out " + out.size() + " file"
                + (out.size() == 1 ? "" : "s") + " it could not read: " + out.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue()
                + ")").collect(java.util.stream.Collectors.joining("; "));
            m.replyTo().tell(new Status(name, progress.state, delivered.get(), undelivered.get(), source.rejects().rejectedTotal(),
                source.rejects().snapshot(), error, done.waitingMs(System.currentTimeMillis()) / 1000, badTicks.bySymbol()));
            return Behaviors.same();
          })
          .onMessage(GetMarketIndex.class, m -> {
            m.replyTo().tell(indexNow.get());
            return Behaviors.same();
          })
          .onMessageEquals(SaveTick.INSTANCE, () -> {
            save(ctx, saver, done.upTo());
            return Behaviors.same();
          })
          .onMessage(SaveDone.class, m -> {
            saver.saving = false;
            if (m.failure() == null) {
              saver.revision = m.revision();
            } else {
              log.warn("market feed: could not save where it is ({}); retrying", m.failure().getMessage());
              // the stored revision may have moved (a late save of this feed's previous instance):
              // read it again, and save the point again at the next tick
              saver.saved = Long.MIN_VALUE;
              akka.actor.typed.ActorRef<Command> self = ctx.getSelf();
              Futures.on(saver.store.getObject(saver.pid), ctx.getExecutionContext())
                  .whenComplete((r, err) -> self.tell(new RevisionRead(err == null ? r.revision() : -1)));
            }
            return Behaviors.same();
          })
          .onMessage(RevisionRead.class, m -> {
            if (m.revision() >= 0) saver.revision = m.revision();
            return Behaviors.same();
          })
          .onMessageEquals(LogTick.INSTANCE, () -> {
            notDelivered.flush();
            long now = System.nanoTime(), d = delivered.get();
            log.info("market feed: {} bars delivered ({} bars/s), {} rejected rows{}", d,
                String.format("%,.0f", (d - progress.loggedBars) / ((now - progress.loggedNanos) / 1e9)), source.rejects().rejectedTotal(),
                badTicks.summary());
            progress.loggedBars = d;
            progress.loggedNanos = now;
            return Behaviors.same();
          })
          .onMessage(Finished.class, m -> {
            if (m.from() != kill) return Behaviors.same(); // the stream of the instance before a restart
            save(ctx, saver, done.upTo());
            timers.cancel(LogTick.INSTANCE); // nothing more to deliver: no more "0 bars/s" lines
            notDelivered.flush(); // what the next tick would have said
            if (m.failure() == null) {
              progress.state = "COMPLETED";
              if (delivered.get() == 0 && resumeAfter == Long.MIN_VALUE) {
                // an empty file, or nothing but rejected rows: say so louder than a normal end
                log.warn("market feed {} completed without a bar to deliver: its source holds no valid candle ({} rejected rows {})",
                    name, source.rejects().rejectedTotal(), source.rejects().snapshot());
              } else {
                log.info("market feed {} completed: {} bars delivered, {} rejected rows {}{}", name, delivered.get(),
                    source.rejects().rejectedTotal(), source.rejects().snapshot(), badTicks.summary());
              }
            } else {
              progress.state = "FAILED";
              progress.error = m.failure().getMessage();
              log.error("market feed {} failed: {}", name, m.failure().getMessage());
            }
            source.close();
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, () -> {
            if (stopping.getAndSet(true)) return Behaviors.same();
            kill.shutdown();
            long upTo = done.upTo();
            source.close();
            if (progress.state.equals("RUNNING")) {
              log.info("market feed {} stopped: {} bars delivered{}", name, delivered.get(), saver == null || upTo == Long.MIN_VALUE ? ""
                  : "; it resumes after " + java.time.Instant.ofEpochMilli(upTo) + " (bars still in flight are sent again)");
            }
            if (saver == null || upTo == Long.MIN_VALUE || (upTo <= saver.saved && !saver.saving)) return Behaviors.stopped();
            // stop once the checkpoint is written (a save in flight first, then this one), or after 3 s
            timers.startSingleTimer(SaveTimeout.INSTANCE, Duration.ofSeconds(3));
            save(ctx, saver, upTo);
            return Behaviors.receive(Command.class)
                .onMessage(SaveDone.class, m -> {
                  saver.saving = false;
                  if (m.failure() != null) {
                    log.warn("market feed: could not save where it stopped ({}); the next start may send bars again, which"
                        + " the rankers and the broker ignore", m.failure().getMessage());
                    return Behaviors.stopped();
                  }
                  saver.revision = m.revision();
                  if (saver.saved < upTo) {
                    save(ctx, saver, upTo);
                    return Behaviors.same();
                  }
                  return Behaviors.stopped();
                })
                .onMessageEquals(SaveTimeout.INSTANCE, () -> {
                  log.warn("market feed: saving where it stopped took over 3 s; stopping without waiting");
                  return Behaviors.stopped();
                })
                .onAnyMessage(m -> Behaviors.same())
                .onSignal(akka.actor.typed.PostStop.class, sig -> {
                  stopFirst.cancel();
                  stoppedAndSaved.complete(Done.getInstance());
                  return Behaviors.same();
                })
                .build();
          })
          .onSignal(akka.actor.typed.PostStop.class, sig -> {
            stopFirst.cancel();
            stoppedAndSaved.complete(Done.getInstance());
            return Behaviors.same();
          })
          .onSignal(akka.actor.typed.PreRestart.class, sig -> {
            // the restarted feed starts its own stream and registers its own task
            kill.shutdown();
            source.close();
            stopFirst.cancel();
            stoppedAndSaved.complete(Done.getInstance());
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static void save(akka.actor.typed.javadsl.ActorContext<Command> ctx, Saver saver, long upTo) {
    if (saver == null || saver.saving || upTo == Long.MIN_VALUE || upTo <= saver.saved) return;
    saver.saving = true;
    long next = saver.revision + 1;
    saver.saved = upTo;
    // told, not piped: a piped reply reaches a stopped feed as a dead letter its suppression does not cover
    akka.actor.typed.ActorRef<Command> self = ctx.getSelf();
    Futures.on(saver.store.upsertObject(saver.pid, next, new Checkpoint(upTo), "market-feed"), ctx.getExecutionContext())
        .whenComplete((d, err) -> self.tell(new SaveDone(next, err)));
  }

  /** The source without its bars up to (and at) {@code after}. */
  static BarSource skipUpTo(BarSource source, long after) {
    return new BarSource() {
      public java.util.List<String> symbols() {
        return source.symbols();
      }

      public RejectCounts rejects() {
        return source.rejects();
      }

      public Bar next() {
        for (Bar b; (b = source.next()) != null; ) if (b.openTime() > after) return b;
        return null;
      }

      public void close() {
        source.close();
      }
    };
  }

  /**
   * Batches not delivered, logged at most once every 10 s (and at the feed's 30 s log line) as one
   * line with their count, symbols and the last error: during an outage a line per batch buried the
   * lines that matter.
   */
  static final class NotDelivered {
    private final org.slf4j.Logger log;
    private final com.quantumtrader.common.FailureTally batches = new com.quantumtrader.common.FailureTally(10_000, System::currentTimeMillis);
    private long bars;

    NotDelivered(org.slf4j.Logger log) {
      this.log = log;
    }

    synchronized void note(String symbol, int n, Throwable err) {
      bars += n;
      batches.note(symbol, ConfigReader.oneLine(err));
      if (batches.due()) flush();
    }

    synchronized void flush() {
      long n = batches.count();
      if (n == 0) return;
      log.warn("market feed: {} bar{} ({} batch{}) of {} not delivered since the last such line; last error: {}", bars,
          bars == 1 ? "" : "s", n, n == 1 ? "" : "es", batches.symbols(), batches.lastError());
      bars = 0;
      batches.logged();
    }
  }

  /**
   * The possible bad ticks seen, by symbol: each logged as a WARN with its figures, up to {@value
   * #LOGGED_PER_SYMBOL} per symbol (a source full of them would bury the log; the rest are counted in
   * the status and the 30 s line).
   */
  static final class BadTicks {
    static final int LOGGED_PER_SYMBOL = 5;
    private final org.slf4j.Logger log;
    private final java.util.TreeMap<String, Long> bySymbol = new java.util.TreeMap<>();

    BadTicks(org.slf4j.Logger log) {
      this.log = log;
    }

    void note(SpikeWatch.Spike s) {
      long n;
      synchronized (this) {
        n = bySymbol.merge(s.symbol(), 1L, Long::sum);
      }
      if (n <= LOGGED_PER_SYMBOL) {
        log.warn("market feed: possible bad tick, delivered as it came: {} (moved {}x or more from the close before and back){}",
            s.describe(), (int) SpikeWatch.FACTOR, n == LOGGED_PER_SYMBOL ? "; further ones of " + s.symbol()
                + " are counted in the feed's status (GET /api/v1/feed), not logged" : "");
      }
    }

    synchronized Map<String, Long> bySymbol() {
      return Map.copyOf(bySymbol);
    }

    /** {@code , 2 possible bad ticks (BTCUSDT 1, XL 1)}; empty when none. */
    synchronized String summary() {
      long n = bySymbol.values().stream().mapToLong(Long::longValue).sum();
      if (n == 0) return "";
      List<String> each = new ArrayList<>();
      bySymbol.forEach((sym, k) -> each.add(sym + " " + k));
      return ", " + n + " possible bad tick" + (n == 1 ? "" : "s") + " (" + com.quantumtrader.common.Names.few(each) + ")";
    }
  }

  /**
   * Tracks the highest bar time up to which every batch is acknowledged: batches leave in time
   * order, are acknowledged in any order; a failed delivery counts as done (it is counted and
   * logged as undelivered, and will not be retried). The broker's delivery does not fail: it offers a
   * batch again until the broker takes it ({@code PaperBroker.delivery}), so the feed waits for it.
   */
  static final class DeliveredUpTo {
    /** Per first bar time of the batches out: how many, and when the first of them left (wall clock, ms). */
    private final java.util.TreeMap<Long, long[]> outstanding = new java.util.TreeMap<>();
    private long maxSent;
    private long upTo;

    DeliveredUpTo(long start) {
      this.upTo = start;
      this.maxSent = start;
    }

    /** A batch of bars from {@code first} to {@code last} left. */
    void sent(long first, long last) {
      sent(first, last, System.currentTimeMillis());
    }

    synchronized void sent(long first, long last, long nowMs) {
      outstanding.computeIfAbsent(first, k -> new long[] {0, nowMs})[0]++;
      maxSent = Math.max(maxSent, last);
    }

    /** The batch whose first bar is at {@code first} is done. */
    synchronized void acknowledged(long first) {
      long[] out = outstanding.get(first);
      if (out != null && --out[0] == 0) outstanding.remove(first);
    }

    /** How long the oldest batch not yet done has been out, at {@code nowMs}; 0 when none is. */
    synchronized long waitingMs(long nowMs) {
      return outstanding.isEmpty() ? 0 : Math.max(0, nowMs - outstanding.firstEntry().getValue()[1]);
    }

    /** Done up to just before the first bar of the oldest outstanding batch, or all sent when none is. */
    synchronized long upTo() {
      if (outstanding.isEmpty()) upTo = Math.max(upTo, maxSent);
      else upTo = Math.max(upTo, outstanding.firstKey() - 1);
      return upTo;
    }
  }

  private static Behavior<Command> failed(String name, String error) {
    return Behaviors.receive(Command.class)
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(new Status(name, "FAILED", 0, 0, 0, Map.of(), error, 0, Map.of()));
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
    /**
     * Behind its schedule by more than this (the stream waited: the broker restarting during a
     * database outage, or a node too slow for the speed), the replay goes on at its pace from where
     * it is instead of rushing to catch up: bars released in a burst reached the book many days of
     * bar time at once per symbol, one symbol after the other, and entries decided on one filled days
     * later on the next batch, past their stops.
     */
    static final long MAX_LAG_NANOS = 1_000_000_000L;

    private final double speed;
    private long firstBarTime = Long.MIN_VALUE;
    private long startNanos;

    Pacer(double speed) {
      this.speed = speed;
    }

    long waitNanos(long barTime) {
      return waitNanos(barTime, System.nanoTime());
    }

    long waitNanos(long barTime, long now) {
      if (speed <= 0) return 0;
      if (firstBarTime == Long.MIN_VALUE) {
        firstBarTime = barTime;
        startNanos = now;
      }
      long wait = startNanos + (long) ((barTime - firstBarTime) * 1_000_000.0 / speed) - now;
      if (wait < -MAX_LAG_NANOS) {
        startNanos -= wait; // this bar is released now; the ones after it at the pace from here
        return 0;
      }
      return wait;
    }
  }

  /** A delivery that completes at once (for tests of the feed alone). */
  public static Delivery discard() {
    return b -> CompletableFuture.completedFuture(Done.getInstance());
  }
}
