package com.quantumtrader.bench;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.quantumtrader.app.JournalSchema;
import com.quantumtrader.app.Settings;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventEnvelope;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.TradeExecuted;
import com.quantumtrader.policy.Change;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.testsupport.PostgresServer;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The foundation's benchmark: event bus publish-to-deliver throughput in one JVM, and Policy Store
 * persisted changes per second on PostgreSQL next to plain JDBC inserts into the same database.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.quantumtrader.bench.FoundationBench</pre>
 *
 * (add {@code -Dexec.args=bus} or {@code -Dexec.args=policy} for one part).
 */
public final class FoundationBench {
  private static final int BUS_EVENTS = 2_000_000;
  private static final int POLICY_CHANGES = 2_000;
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    System.out.printf("machine: %d cores, %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    List<String> parts = args.length == 0 ? List.of("bus", "policy") : List.of(args);
    if (parts.contains("bus")) bus();
    if (parts.contains("policy")) policyStore();
    System.exit(0);
  }

  // -----------------------------------------------------------------------------------------------

  private static void bus() throws Exception {
    Config config = ConfigFactory.parseString(
            "quantum-trader.event-bus.max-queue-size = 10000000\nakka.loglevel = WARNING")
        .withFallback(TestNodes.fromEnv(Map.of()));
    ActorTestKit kit = ActorTestKit.create("QuantumTrader", config);
    try {
      Cluster c = Cluster.get(kit.system());
      c.manager().tell(Join.create(c.selfMember().address()));
      EventBus bus = EventBus.get(kit.system());
      EventEnvelope event = EventEnvelope.of("bench",
          new TradeExecuted("t", "o", "s", "BTCUSDT", "BUY", 1, 100, 0.1, Instant.EPOCH));
      for (int subscribers : new int[] {1, 4}) {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < ROUNDS + 1; round++) {
          CountDownLatch done = new CountDownLatch(subscribers);
          List<ActorRef<Delivery>> subs = new ArrayList<>();
          AtomicLong[] received = new AtomicLong[subscribers];
          for (int i = 0; i < subscribers; i++) {
            received[i] = new AtomicLong();
            ActorRef<Delivery> s = kit.spawn(counting(BUS_EVENTS, done, received[i]));
            subs.add(s);
            bus.subscribe("bench-" + round + "-" + i, Set.of(EventType.TRADE_EXECUTED), s);
          }
          while (bus.localSubscriberCount(EventType.TRADE_EXECUTED, Duration.ofSeconds(3)).toCompletableFuture().get() < subscribers) {
            Thread.sleep(10);
          }
          long t0 = System.nanoTime();
          // Sustained rate, not the drain of a flood: the publisher stays at most LEAD events ahead
          // of the slowest subscriber (a flood only measures how fast the JVM collects a backlog).
          for (int i = 0; i < BUS_EVENTS; i++) {
            if ((i & 1023) == 0) {
              while (i - slowest(received) > LEAD) java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            bus.publish(event);
          }
          if (!done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("bus bench did not finish");
          double secs = (System.nanoTime() - t0) / 1e9;
          double delivered = (double) BUS_EVENTS * subscribers / secs;
          if (round > 0) rates.add(delivered); // round 0 warms the JIT up
          System.out.printf("  bus round %d: %d subscriber(s), %,d events each in %.2f s = %,.0f deliveries/s%n",
              round, subscribers, BUS_EVENTS, secs, delivered);
          subs.forEach(kit::stop);
          while (bus.localSubscriberCount(EventType.TRADE_EXECUTED, Duration.ofSeconds(3)).toCompletableFuture().get() > 0) {
            Thread.sleep(10);
          }
        }
        System.out.printf("RESULT bus publish->deliver, %d subscriber(s): median %,.0f deliveries/s (%,.0f events/s published)%n",
            subscribers, median(rates), median(rates) / subscribers);
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static final int LEAD = 50_000;

  private static long slowest(AtomicLong[] received) {
    long min = Long.MAX_VALUE;
    for (AtomicLong r : received) min = Math.min(min, r.get());
    return min;
  }

  private static Behavior<Delivery> counting(int expected, CountDownLatch done, AtomicLong received) {
    return Behaviors.setup(ctx -> {
      int[] n = {0};
      return Behaviors.receiveMessage(d -> {
        d.ack();
        if (++n[0] == expected) done.countDown();
        if ((n[0] & 1023) == 0 || n[0] == expected) received.lazySet(n[0]);
        return Behaviors.same();
      });
    });
  }

  // -----------------------------------------------------------------------------------------------

  private static void policyStore() throws Exception {
    // A durable server (fsync on), as in production; not the test suite's fsync=off one.
    PostgresServer pg = PostgresServer.startNew(true);
    try {
      String url = pg.newDatabase();
      Config config = ConfigFactory.parseString("akka.loglevel = WARNING").withFallback(TestNodes.fromEnv(Map.of(
          "QT_DB_URL", url, "QT_DB_USER", pg.user(), "QT_POLICY_SNAPSHOT_EVERY", "100")));
      Settings settings = Settings.load(config);
      JournalSchema.ensure(settings);
      ActorTestKit kit = ActorTestKit.create("QuantumTrader", config);
      List<Double> seq = new ArrayList<>(), par = new ArrayList<>(), jdbcOne = new ArrayList<>(), jdbcBatch = new ArrayList<>();
      try {
        ActorRef<PolicyStore.Command> store = kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
        int[] next = {0};
        for (int round = 0; round < ROUNDS + 1; round++) {
          // One caller at a time: each change waits for the previous one's acknowledgement.
          long t0 = System.nanoTime();
          for (int i = 0; i < POLICY_CHANGES; i++) change(kit, store, next[0]++).get(10, TimeUnit.SECONDS);
          double s = POLICY_CHANGES / ((System.nanoTime() - t0) / 1e9);
          // Many callers at once: the store still persists one change after the other.
          t0 = System.nanoTime();
          List<CompletableFuture<PolicyStore.Reply>> all = new ArrayList<>();
          for (int i = 0; i < POLICY_CHANGES; i++) all.add(change(kit, store, next[0]++));
          CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
          for (var f : all) if (!(f.get() instanceof PolicyStore.Accepted a) || !a.changed()) throw new IllegalStateException(f.get().toString());
          double p = POLICY_CHANGES / ((System.nanoTime() - t0) / 1e9);
          double j1 = jdbc(url, pg.user(), POLICY_CHANGES, 1);
          double jb = jdbc(url, pg.user(), POLICY_CHANGES * 10, 100);
          System.out.printf("  policy round %d: store sequential %,.0f/s, store concurrent %,.0f/s, jdbc 1 row/commit %,.0f/s, jdbc 100 rows/commit %,.0f/s%n",
              round, s, p, j1, jb);
          if (round > 0) { seq.add(s); par.add(p); jdbcOne.add(j1); jdbcBatch.add(jb); }
        }
      } finally {
        kit.shutdownTestKit();
      }
      System.out.printf("RESULT policy store, one caller:        median %,.0f persisted changes/s%n", median(seq));
      System.out.printf("RESULT policy store, 2000 callers:      median %,.0f persisted changes/s%n", median(par));
      System.out.printf("RESULT plain JDBC, 1 row per commit:    median %,.0f rows/s%n", median(jdbcOne));
      System.out.printf("RESULT plain JDBC, 100 rows per commit: median %,.0f rows/s%n", median(jdbcBatch));
      System.out.printf("RESULT ratio store(one caller) / jdbc(1 row per commit) = %.2f; store(2000 callers) / jdbc(100 rows per commit) = %.3f%n",
          median(seq) / median(jdbcOne), median(par) / median(jdbcBatch));
    } finally {
      pg.stop();
    }
  }

  private static CompletableFuture<PolicyStore.Reply> change(ActorTestKit kit, ActorRef<PolicyStore.Command> store, int n) {
    // Alternating position limits: every command is a real change that must be persisted.
    return AskPattern.<PolicyStore.Command, PolicyStore.Reply>ask(store,
            rt -> new PolicyStore.ChangeLimits(null, null, 100 + (n % 2), null, Change.by("bench", "change " + n), rt),
            Duration.ofSeconds(60), kit.system().scheduler())
        .toCompletableFuture();
  }

  /** Rows shaped like journal rows (a ~200-byte payload), inserted with a plain prepared statement. */
  private static double jdbc(String url, String user, int rows, int perCommit) throws Exception {
    String u = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    try (Connection c = DriverManager.getConnection(u, user, "")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS bench_rows (id BIGSERIAL PRIMARY KEY, pid VARCHAR(255) NOT NULL, seq BIGINT NOT NULL, payload BYTEA NOT NULL)");
      }
      c.setAutoCommit(false);
      byte[] payload = new byte[200];
      long t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_rows (pid, seq, payload) VALUES (?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ps.setString(1, "bench");
          ps.setLong(2, i);
          ps.setBytes(3, payload);
          ps.addBatch();
          if ((i + 1) % perCommit == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      return rows / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }
}
