package com.quantumtrader.bench;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.quantumtrader.app.JournalSchema;
import com.quantumtrader.app.Settings;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.BarSource;
import com.quantumtrader.market.MarketFeed;
import com.quantumtrader.market.MarketSettings;
import com.quantumtrader.market.RejectCounts;
import com.quantumtrader.market.SyntheticMarket;
import com.quantumtrader.ranker.RankerSettings;
import com.quantumtrader.ranker.RankerWorker;
import com.quantumtrader.ranker.RankingAggregator;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ranker path on one node: bars from the feed through the sharded workers to the aggregator,
 * 500 symbols, next to a plain Akka tell between two actors (the ceiling) in the same run.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.quantumtrader.bench.RankerBench</pre>
 */
public final class RankerBench {
  private static final int SYMBOLS = 500;
  private static final int STEPS = Integer.getInteger("qt.bench.steps", 4_000); // 2,000,000 bars per run by default

  public static void main(String[] args) throws Exception {
    System.out.printf("machine: %d cores, %s %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    Config config = ConfigFactory.parseString("akka.loglevel = WARNING\n" + System.getProperty("qt.bench.extra", ""))
        .withFallback(TestNodes.fromEnv(Map.of(
            "QT_DATA_DIR", Files.createTempDirectory("qt-bench-").toString(),
            "QT_MARKET_ENABLED", "false",
            "QT_OPP_RANKER_CHECKPOINT_EVERY_BARS", System.getProperty("qt.bench.checkpoint", "500"))));
    JournalSchema.ensure(Settings.load(config));
    ActorTestKit kit = ActorTestKit.create("QuantumTrader", config);
    try {
      Cluster c = Cluster.get(kit.system());
      c.manager().tell(Join.create(c.selfMember().address()));
      ceiling(kit);
      RankerSettings settings = RankerSettings.fromConfig(config);
      MarketSettings market = MarketSettings.fromConfig(config);
      long[] samples = new long[4_000_000];
      int[] n = {0};
      boolean[] record = {false};
      ActorRef<RankingAggregator.Command> aggregator = RankingAggregator.initSingleton(kit.system(),
          RankingAggregator.create(settings, null));
      java.util.function.LongConsumer latency = nanos -> {
        synchronized (samples) {
          if (record[0] && n[0] < samples.length) samples[n[0]++] = nanos;
        }
      };
      RankerWorker.init(kit.system(), settings, aggregator);
      MarketFeed.Delivery deliver = RankerWorker.delivery(kit.system(), Duration.ofSeconds(30));

      // Full speed: two warm-up rounds (JIT, the 500 workers), then five measured.
      List<Double> rates = new ArrayList<>();
      for (int round = 0; round < 7; round++) {
        List<Bar> bars = generate(round, "T");
        long t0 = System.nanoTime();
        run(kit, market.withSpeed(0), bars, deliver, null, "full-" + round);
        double rate = bars.size() / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("  full speed round %d: %,d bars, %,.0f bar updates/s%n", round, bars.size(), rate);
        if (round > 1) rates.add(rate);
      }
      rates.sort(Double::compare);
      System.out.printf("RESULT feed -> sharded workers -> aggregator, %d symbols, full speed: median %,.0f bar updates/s (min %,.0f, max %,.0f)%n",
          SYMBOLS, rates.get(2), rates.get(0), rates.get(4));

      // Paced at 100,000 bars/s: 200 time steps of 500 symbols per second (1h bars at 720,000x),
      // generated as they are released, as a live feed would produce them (no 2 M bars on the heap).
      SyntheticMarket live = new SyntheticMarket(9, SYMBOLS, "1h", 1_700_000_000_000L + 9 * 1_000_000_000L, STEPS);
      int total = SYMBOLS * STEPS;
      n[0] = 0;
      record[0] = true;
      long t0 = System.nanoTime();
      run(kit, market.withSpeed(720_000), live, total, deliver, latency, "paced");
      double secs = (System.nanoTime() - t0) / 1e9;
      record[0] = false;
      long[] s = Arrays.copyOfRange(samples, n[0] / 5, n[0]); // the first fifth is warm-up
      Arrays.sort(s);
      System.out.printf("RESULT paced at %,.0f bars/s: bar arrival at the feed -> score updated in its worker: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d batches)%n",
          total / secs, s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6, s.length);
    } finally {
      kit.shutdownTestKit();
    }
    System.exit(0);
  }

  private static List<Bar> generate(long seed, String prefix) {
    SyntheticMarket m = new SyntheticMarket(seed, SYMBOLS, "1h", 1_700_000_000_000L + seed * 1_000_000_000L, STEPS);
    List<Bar> out = new ArrayList<>(SYMBOLS * STEPS);
    for (Bar b; (b = m.next()) != null; ) out.add(b);
    return out;
  }

  private static void run(ActorTestKit kit, MarketSettings settings, List<Bar> bars, MarketFeed.Delivery deliver,
      java.util.function.LongConsumer latency, String name) throws Exception {
    run(kit, settings, new ListSource(bars), bars.size(), deliver, latency, name);
  }

  private static void run(ActorTestKit kit, MarketSettings settings, BarSource source, int expected, MarketFeed.Delivery deliver,
      java.util.function.LongConsumer latency, String name) throws Exception {
    ActorRef<MarketFeed.Command> feed = kit.spawn(MarketFeed.create(settings, source, deliver, latency), "feed-" + name);
    while (true) {
      MarketFeed.Status st = AskPattern.<MarketFeed.Command, MarketFeed.Status>ask(feed, MarketFeed.GetStatus::new,
          Duration.ofSeconds(5), kit.system().scheduler()).toCompletableFuture().get();
      if (!st.state().equals("RUNNING")) {
        if (st.barsDelivered() != expected) throw new IllegalStateException("feed " + st);
        break;
      }
      Thread.sleep(5);
    }
    kit.stop(feed);
  }

  /** The ceiling: one actor telling another as fast as it can, and a ping-pong round trip. */
  private static void ceiling(ActorTestKit kit) throws Exception {
    int messages = 10_000_000;
    List<Double> rates = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      CountDownLatch done = new CountDownLatch(1);
      ActorRef<Long> sink = kit.spawn(Behaviors.setup(ctx -> {
        long[] seen = {0};
        return Behaviors.receiveMessage(m -> {
          if (++seen[0] == messages) done.countDown();
          return Behaviors.same();
        });
      }));
      Long msg = 1L;
      long t0 = System.nanoTime();
      // A sender actor, so that the measurement is actor-to-actor.
      ActorRef<String> sender = kit.spawn(Behaviors.receiveMessage(go -> {
        for (int i = 0; i < messages; i++) sink.tell(msg);
        return Behaviors.same();
      }));
      sender.tell("go");
      done.await(120, TimeUnit.SECONDS);
      double rate = messages / ((System.nanoTime() - t0) / 1e9);
      if (round > 0) rates.add(rate);
      kit.stop(sink);
      kit.stop(sender);
    }
    rates.sort(Double::compare);
    System.out.printf("RESULT ceiling, plain tell actor -> actor: median %,.0f messages/s%n", rates.get(1));

    int pings = 200_000;
    long[] rtt = new long[pings];
    CountDownLatch done = new CountDownLatch(1);
    ActorRef<ActorRef<Long>> ponger = kit.spawn(Behaviors.receiveMessage(replyTo -> {
      replyTo.tell(System.nanoTime());
      return Behaviors.same();
    }));
    kit.spawn(Behaviors.<Long>setup(ctx -> {
      int[] i = {0};
      long[] sent = {System.nanoTime()};
      ponger.tell(ctx.getSelf());
      return Behaviors.receiveMessage(t -> {
        rtt[i[0]++] = System.nanoTime() - sent[0];
        if (i[0] == pings) {
          done.countDown();
          return Behaviors.stopped();
        }
        sent[0] = System.nanoTime();
        ponger.tell(ctx.getSelf());
        return Behaviors.same();
      });
    }));
    done.await(120, TimeUnit.SECONDS);
    long[] s = Arrays.copyOfRange(rtt, pings / 5, pings);
    Arrays.sort(s);
    System.out.printf("RESULT ceiling, tell ping-pong round trip: p50 %.3f ms, p99 %.3f ms%n", s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6);
  }

  /** Pre-generated bars, so that generating them is not part of the measured path. */
  private static final class ListSource implements BarSource {
    private final List<Bar> bars;
    private int i;
    private final RejectCounts counts = new RejectCounts();

    ListSource(List<Bar> bars) {
      this.bars = bars;
    }

    public Bar next() {
      return i < bars.size() ? bars.get(i++) : null;
    }

    public List<String> symbols() {
      return List.of();
    }

    public RejectCounts rejects() {
      return counts;
    }

    public void close() {}
  }

}
