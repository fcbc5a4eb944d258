package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import com.quantumtrader.policy.PolicySettings;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.strategy.StrategyGenerator.CandidateView;
import com.quantumtrader.strategy.StrategyGenerator.RunReply;
import com.quantumtrader.strategy.StrategyGenerator.RunStatus;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The Strategy Generator as an actor on the H2 journal: what it acknowledged (a run's start, its
 * end with the candidates, a cancellation) is still there after the actor system is stopped and
 * started again on the same database; a run the system stopped during comes back INTERRUPTED, with
 * the seed that repeats it.
 */
public class StrategyGeneratorTest {
  private static final Duration T = Duration.ofSeconds(20);

  private Path dir;
  private Config config;
  private ActorTestKit kit;
  private ActorRef<StrategyGenerator.Command> generator;
  private ActorRef<StrategyRegistry.Command> registry;
  /** QT_SG_RESUME_INTERRUPTED of the next boot. */
  private boolean resume = true;
  private java.util.Set<String> dataIntervals = java.util.Set.of(); // QT_MARKET_INTERVAL
  /** The synthetic market's bars of the next boot. */
  private int syntheticBars = 3_000;
  private Double minConfidence; // null: the NORMAL preset's of the config, as the guardian passes it
  /** How often a run journals a checkpoint, from the next boot. */
  private java.time.Duration checkpointEvery = java.time.Duration.ofMillis(200);

  @Before
  public void start() throws Exception {
    dir = Files.createTempDirectory("qt-sg-");
    config = TestNodes.h2(dir, Map.of());
    boot();
  }

  private void boot() {
    boot(false);
  }

  /**
   * @param silentRegistry the generator registers with a probe that never answers instead of the
   *     real registry
   * @return that probe (null unless silentRegistry)
   */
  private TestProbe<StrategyRegistry.Command> boot(boolean silentRegistry) {
    kit = ActorTestKit.create("QuantumTrader", config);
    TestProbe<StrategyRegistry.Command> silent = silentRegistry ? kit.createTestProbe(StrategyRegistry.Command.class) : null;
    ActorRef<PolicyStore.Command> policy = kit.spawn(PolicyStore.create(PolicySettings.fromConfig(config)));
    registry = kit.spawn(StrategyRegistry.create(StrategyRegistrySettings.fromConfig(config), List.of(), policy, T));
    double min = minConfidence != null ? minConfidence
        : PolicySettings.fromConfig(config).preset(com.quantumtrader.policy.RiskMode.NORMAL).minConfidence();
    generator = kit.spawn(StrategyGenerator.create(new StrategyGenerator.Settings(200, 50, syntheticBars, dataIntervals, resume, min),
        silent != null ? silent.getRef() : registry, java.time.Duration.ofSeconds(10), checkpointEvery));
    return silent;
  }

  private void restart() {
    kit.shutdownTestKit();
    boot();
  }

  @After
  public void stop() {
    kit.shutdownTestKit();
  }

  private RunReply ask(java.util.function.Function<ActorRef<RunReply>, StrategyGenerator.Command> command) {
    TestProbe<RunReply> p = kit.createTestProbe();
    generator.tell(command.apply(p.getRef()));
    return p.receiveMessage(T);
  }

  private RunStatus status(String runId) {
    RunReply r = ask(rt -> new StrategyGenerator.GetRun(runId, rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    return (RunStatus) r;
  }

  private RunStatus startRun(Template t, int population, int generations, long seed) {
    RunReply r = ask(rt -> new StrategyGenerator.StartRun(t, null, null, null, population, generations, seed, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    RunStatus s = (RunStatus) r;
    assertEquals("RUNNING", s.state());
    assertEquals(seed, s.seed());
    return s;
  }

  private RunStatus awaitState(String runId, String state) {
    RunStatus[] last = {null};
    kit.createTestProbe().awaitAssert(T, () -> {
      last[0] = status(runId);
      assertEquals(state, last[0].state());
      return null;
    });
    return last[0];
  }

  /** Waits for the run to be started again after a restart. */
  private void awaitResumed(String runId) {
    awaitResumed(runId, false);
  }

  /** ... and, with {@code mayHaveEnded}, accepts it DONE already (what was left of a short run can end between two polls). */
  private void awaitResumed(String runId, boolean mayHaveEnded) {
    kit.createTestProbe().awaitAssert(T, () -> {
      RunStatus s = status(runId);
      assertTrue(s.state(), s.state().equals("RUNNING") || mayHaveEnded && s.state().equals("DONE"));
      assertEquals(1, s.resumes());
      return null;
    });
  }

  /** Waits for the run's first generation to end. */
  private void awaitProgress(String runId) {
    kit.createTestProbe().awaitAssert(T, () -> {
      assertNotNull("no progress yet", status(runId).progress());
      return null;
    });
  }

  @Test
  public void aFinishedRunAndItsCandidatesSurviveARestart() {
    RunStatus started = startRun(Template.TREND_EMA_CROSS, 20, 4, 3);
    assertEquals("run-1-trend_ema_cross", started.runId());
    RunStatus done = awaitState(started.runId(), "DONE");
    assertTrue(!done.candidates().isEmpty());
    assertNotNull(done.progress());
    assertEquals(4, done.progress().generation());

    restart();
    RunStatus after = status(started.runId());
    assertEquals("DONE", after.state());
    assertEquals(done.seed(), after.seed());
    assertEquals(done.started(), after.started());
    assertEquals(done.progress(), after.progress());
    assertEquals(done.candidates().size(), after.candidates().size());
    for (int i = 0; i < done.candidates().size(); i++) {
      CandidateView a = done.candidates().get(i), b = after.candidates().get(i);
      assertEquals(a.spec(), b.spec());
      assertEquals(a.trainFitness(), b.trainFitness(), 0);
      assertEquals(a.testFitness(), b.testFitness(), 0);
      assertEquals(a.inSample(), b.inSample());
      assertEquals(a.outOfSample(), b.outOfSample());
    }
    // Ids go on from the journal, not from 1 again
    assertEquals("run-2-donchian_breakout", startRun(Template.DONCHIAN_BREAKOUT, 10, 2, 5).runId());
  }

  /**
   * A run the system stopped during starts again after the restart from its last checkpoint (or from
   * its first generation when it journaled none), on its own market (not the node's new setting), and
   * ends with the candidates and the evaluation count of the same run never stopped.
   */
  @Test
  public void aRunTheSystemStoppedDuringIsResumedFromItsCheckpointAndEndsAsIfNeverStopped() throws Exception {
    resumesAndEndsAsIfNeverStopped(true);
  }

  @Test
  public void aRunWithoutACheckpointIsResumedFromItsFirstGenerationAndEndsAsIfNeverStopped() throws Exception {
    checkpointEvery = java.time.Duration.ofHours(1);
    restart();
    resumesAndEndsAsIfNeverStopped(false);
  }

  private void resumesAndEndsAsIfNeverStopped(boolean fromCheckpoint) throws Exception {
    // long enough (4-5 s on a fast machine) not to end before the restart below, which comes about 2 s in
    RunStatus fresh = awaitState(startRun(Template.TREND_EMA_CROSS, 40, 20_000, 41).runId(), "DONE");
    RunStatus started = startRun(Template.TREND_EMA_CROSS, 40, 20_000, 41);
    awaitProgress(started.runId());
    Thread.sleep(1_600); // past a checkpoint (every 1.1 s for this size: StrategyGenerator.checkpointInterval)

    syntheticBars = 2_000; // the node's setting changes; the run keeps its market
    try (com.quantumtrader.testsupport.CapturedLogs logs = new com.quantumtrader.testsupport.CapturedLogs()) {
      restart();
      // the remaining generations of this run can take under a second (0.7 s seen on a fast machine)
      awaitResumed(started.runId(), true);
      // the first generation the resumed run reports
      long[] first = {-1};
      kit.createTestProbe().awaitAssert(T, () -> {
        Evolver.Progress p = status(started.runId()).progress();
        assertNotNull("no progress yet", p);
        first[0] = p.generation();
        return null;
      });
      String resumed = logs.warnings().stream().filter(w -> w.contains("sg-ai: run " + started.runId() + " resumed (attempt 1)"))
          .findFirst().orElseThrow(() -> new AssertionError(logs.warnings().toString()));
      if (fromCheckpoint) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("started again after generation (\\d+) of 20000 \\(its last checkpoint\\)"
            + " with seed 41: it ends as the run never stopped would have").matcher(resumed);
        assertTrue(resumed, m.find());
        long checkpoint = Long.parseLong(m.group(1));
        assertTrue(resumed, checkpoint >= 1);
        // it went on from there: its first report is of a later generation (from its first, the polls
        // above would see one of the first few of 50 or more)
        assertTrue("first report after resuming: generation " + first[0] + ", checkpoint " + checkpoint,
            first[0] > checkpoint || checkpoint < 50);
      } else {
        assertTrue(resumed, resumed.contains("started again from its first generation with seed 41"));
      }
    }
    RunStatus done = awaitState(started.runId(), "DONE");
    assertEquals(1, done.resumes());
    assertEquals(20_000, done.progress().generation());
    assertEquals(fresh.progress().evaluations(), done.progress().evaluations());
    if (fromCheckpoint) {
      // each checkpoint is also a snapshot (fewer than the 100 events of the regular ones here): recovery reads one, not all
      String url = new com.quantumtrader.app.Settings.Db("", "sa", "", 1, java.time.Duration.ofSeconds(5)).jdbcUrl(dir);
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
          java.sql.ResultSet r = c.createStatement().executeQuery(
              "SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = 'strategy-generator'")) {
        r.next();
        assertTrue("snapshots: " + r.getInt(1), r.getInt(1) >= 1);
      }
    }
    assertEquals(fresh.data(), done.data());
    assertEquals(fresh.candidates().size(), done.candidates().size());
    for (int i = 0; i < fresh.candidates().size(); i++) {
      CandidateView a = fresh.candidates().get(i), b = done.candidates().get(i);
      assertTrue(java.util.Arrays.equals(a.spec().params(), b.spec().params()));
      assertEquals(a.trainFitness(), b.trainFitness(), 0);
      assertEquals(a.testFitness(), b.testFitness(), 0);
      assertEquals(a.outOfSample(), b.outOfSample());
    }
  }

  /** A run on a candle file is resumed on that file; if the file changed meanwhile, it is not. */
  @Test
  public void aRunOnACandleFileIsResumedOnlyIfTheFileIsUnchanged() throws Exception {
    Path csv = Files.copy(Path.of("src/test/resources/market/real/BTCUSDT-1h.csv"), dir.resolve("BTCUSDT-1h.csv"));
    RunReply r = ask(rt -> new StrategyGenerator.StartRun(Template.DONCHIAN_BREAKOUT, dir.toString(), "BTCUSDT", null, 30, 100_000,
        5L, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    String runId = ((RunStatus) r).runId();
    assertEquals(new StrategyGenerator.RunSource(dir.toString(), "BTCUSDT", "1h", 0,
        "BTCUSDT-1h.csv " + Files.size(csv) + " bytes " + Files.getLastModifiedTime(csv).toInstant()), ((RunStatus) r).source());
    awaitProgress(runId);

    restart();
    awaitResumed(runId);
    awaitProgress(runId); // it read its file again

    kit.shutdownTestKit();
    Files.writeString(csv, "2021-06-06 04:00:00,35000.0,35100.0,34900.0,35050.0,100.0,BTCUSDT\n", java.nio.file.StandardOpenOption.APPEND);
    boot();
    RunStatus after = awaitState(runId, "INTERRUPTED");
    assertTrue(after.error(), after.error().contains("(again, after 1 resume: not resumed)"));

    // the same for a run that was not resumed yet
    RunStatus second = (RunStatus) ask(rt -> new StrategyGenerator.StartRun(Template.DONCHIAN_BREAKOUT, dir.toString(), "BTCUSDT",
        null, 30, 100_000, 6L, "otto", rt));
    awaitProgress(second.runId());
    kit.shutdownTestKit();
    Files.writeString(csv, "2021-06-06 05:00:00,35000.0,35100.0,34900.0,35050.0,100.0,BTCUSDT\n", java.nio.file.StandardOpenOption.APPEND);
    boot();
    RunStatus changed = awaitState(second.runId(), "INTERRUPTED");
    assertTrue(changed.error(), changed.error().contains("its candles changed since it started") && changed.error().contains("seed 6"));
    assertEquals(0, changed.resumes());
  }

  /**
   * A node's run takes entries at the minimum confidence it was given (the guardian gives the NORMAL
   * preset's, which an operator may change): its candidates are those of a local search at that
   * minimum, and not those of one at another.
   */
  @Test
  public void aRunTakesEntriesAtTheNodesMinimumConfidence() throws Exception {
    Path csv = Files.copy(Path.of("src/test/resources/market/real/BTCUSDT-1h.csv"), dir.resolve("BTCUSDT-1h.csv"));
    BarArrays bars = BarArrays.loadOne(csv);
    for (double min : new double[] {0.55, 0.8}) {
      kit.shutdownTestKit();
      minConfidence = min;
      boot();
      RunStatus r = (RunStatus) ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, dir.toString(), "BTCUSDT", null, 20,
          4, 9L, "otto", rt));
      RunStatus done = awaitState(r.runId(), "DONE");
      Evolver.Result local = Generator.run(Template.TREND_EMA_CROSS, bars, Generator.defaults(20, 4, 9L, min),
          java.util.concurrent.ForkJoinPool.commonPool(), p -> { }, () -> false);
      Evolver.Result other = Generator.run(Template.TREND_EMA_CROSS, bars, Generator.defaults(20, 4, 9L, min == 0.55 ? 0.8 : 0.55),
          java.util.concurrent.ForkJoinPool.commonPool(), p -> { }, () -> false);
      List<String> node = done.candidates().stream().map(c -> java.util.Arrays.toString(c.spec().params()) + c.trainFitness()).toList();
      assertEquals("min " + min, local.candidates().stream().map(c -> java.util.Arrays.toString(c.spec().params()) + c.trainFitness())
          .toList(), node);
      assertFalse("min " + min + ": the other minimum gives the same search", node.equals(other.candidates().stream()
          .map(c -> java.util.Arrays.toString(c.spec().params()) + c.trainFitness()).toList()));
    }
  }

  /** What a launched attempt reports counts only while the run is running that attempt. */
  @Test
  public void reportsOfAnEarlierAttemptAreDropped() {
    String id = "run-1-trend_ema_cross";
    StrategyGenerator.State s = new StrategyGenerator.State(0, List.of())
        .apply(new StrategyGenerator.RunStarted(id, Template.TREND_EMA_CROSS, "synthetic", 20, 4, 3, "otto",
            Instant.parse("2026-11-25T10:00:00Z"), new StrategyGenerator.RunSource(null, null, null, 3_000, null)));
    assertNotNull(StrategyGenerator.current(s, id, 0));
    s = s.apply(new StrategyGenerator.RunResumed(id, 1, "stopped"));
    assertNull(StrategyGenerator.current(s, id, 0));
    assertNotNull(StrategyGenerator.current(s, id, 1));
    s = s.apply(new StrategyGenerator.RunInterrupted(id, "stopped again"));
    assertNull(StrategyGenerator.current(s, id, 1));
    assertNull(StrategyGenerator.current(s, "run-2-trend_ema_cross", 0));
  }

  /** Resumed once, a run the system stops during again comes back INTERRUPTED, with its seed. */
  @Test
  public void aRunIsResumedOnceOnly() {
    RunStatus started = startRun(Template.MEAN_REVERSION, 50, 100_000, 78);
    awaitProgress(started.runId());
    restart();
    awaitResumed(started.runId());
    awaitProgress(started.runId());

    restart();
    RunStatus after = awaitState(started.runId(), "INTERRUPTED");
    assertTrue(after.error(), after.error().contains("after 1 resume: not resumed") && after.error().contains("seed 78"));
    assertEquals(1, after.resumes());
  }

  @Test
  public void withoutResumingARunTheSystemStoppedDuringComesBackInterruptedWithItsSeed() {
    resume = false;
    restart();
    RunStatus started = startRun(Template.MEAN_REVERSION, 50, 100_000, 77);
    awaitProgress(started.runId());

    restart();
    RunStatus after = awaitState(started.runId(), "INTERRUPTED");
    assertTrue(after.error(), after.error().contains("seed 77"));
    assertEquals(77, after.seed());
    assertEquals(0, after.resumes());
    assertTrue(after.candidates().isEmpty());
    // Not busy any more: a new run is accepted
    RunStatus next = startRun(Template.TREND_EMA_CROSS, 10, 2, 1);
    awaitState(next.runId(), "DONE");
  }

  @Test
  public void aCancelledRunStaysCancelledAfterARestart() {
    // a name the journal could not take (a lone UTF-16 surrogate): refused with the reason, not left to the
    // journal's rejection, which restarted the generator with the caller unanswered
    RunReply bad = ask(rt -> new StrategyGenerator.StartRun(Template.DONCHIAN_BREAKOUT, null, null, null, 50, 100_000, 9L, "otto\ud800", rt));
    assertTrue("expected a refusal, got " + bad, bad instanceof StrategyGenerator.RunRefused r
        && r.message().startsWith("cannot be journaled: "));
    RunStatus started = startRun(Template.DONCHIAN_BREAKOUT, 50, 100_000, 9);
    awaitProgress(started.runId());
    // while it runs: another run is refused as busy, and a request that could never run says why first
    RunReply second = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, null, null, 50, 10, 1L, "otto", rt));
    assertTrue("expected busy, got " + second, second instanceof StrategyGenerator.RunRefused r && r.code().equals("busy")
        && r.message().equals("run " + started.runId() + " is still running; cancel it or wait"));
    RunReply never = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, null, null, 1, 10, 1L, "otto", rt));
    assertTrue("expected invalid, got " + never, never instanceof StrategyGenerator.RunRefused r && r.code().equals("invalid")
        && r.message().startsWith("population must be from 2 to "));
    never = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, dir.toString(), " ", null, 50, 10, 1L, "otto", rt));
    assertTrue("expected invalid, got " + never, never instanceof StrategyGenerator.RunRefused r && r.code().equals("invalid")
        && r.message().equals("symbol is empty: name one or leave it out"));
    bad = ask(rt -> new StrategyGenerator.CancelRun(started.runId(), "\udc00", rt));
    assertTrue("expected a refusal, got " + bad, bad instanceof StrategyGenerator.RunRefused r
        && r.message().startsWith("cannot be journaled: "));
    RunReply cancel = ask(rt -> new StrategyGenerator.CancelRun(started.runId(), "otto", rt));
    assertTrue("expected a status, got " + cancel, cancel instanceof RunStatus);
    RunStatus cancelled = awaitState(started.runId(), "CANCELLED");
    assertTrue(cancelled.progress() != null && cancelled.progress().generation() < 100_000);

    restart();
    assertEquals("CANCELLED", status(started.runId()).state());
    RunReply again = ask(rt -> new StrategyGenerator.CancelRun(started.runId(), "otto", rt));
    assertTrue(again instanceof StrategyGenerator.RunRefused);
  }

  @Test
  public void aRunCancelledJustBeforeTheSystemStopsComesBackCancelled() {
    RunStatus started = startRun(Template.TREND_EMA_CROSS, 50, 100_000, 12);
    awaitProgress(started.runId());
    RunReply cancel = ask(rt -> new StrategyGenerator.CancelRun(started.runId(), "otto", rt));
    assertTrue("expected a status, got " + cancel, cancel instanceof RunStatus);
    assertEquals("otto", ((RunStatus) cancel).cancelledBy());
    // asked again: its status while it stops, or, once it has stopped, that it is CANCELLED
    RunReply twice = ask(rt -> new StrategyGenerator.CancelRun(started.runId(), "otto", rt));
    assertTrue("got " + twice, twice instanceof RunStatus && ((RunStatus) twice).cancelledBy().equals("otto")
        || twice instanceof StrategyGenerator.RunRefused rr && rr.message().endsWith("is CANCELLED"));

    restart(); // whether or not the run got to stop before
    RunStatus after = awaitState(started.runId(), "CANCELLED");
    assertEquals("otto", after.cancelledBy());
  }

  /** Without a seed the run draws one (shown in its status); that seed repeats the run, market included. */
  @Test
  public void theSeedAStatusShowsRepeatsTheRun() {
    RunReply r = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, null, null, 16, 3, null, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    RunStatus first = awaitState(((RunStatus) r).runId(), "DONE");
    assertTrue("seed " + first.seed() + " is not exact in a JSON double", first.seed() < (1L << 53));
    RunStatus second = awaitState(startRun(Template.TREND_EMA_CROSS, 16, 3, first.seed()).runId(), "DONE");
    assertEquals(first.data(), second.data());
    assertEquals(first.candidates().size(), second.candidates().size());
    for (int i = 0; i < first.candidates().size(); i++) {
      assertEquals(first.candidates().get(i).spec().template(), second.candidates().get(i).spec().template());
      assertTrue(java.util.Arrays.equals(first.candidates().get(i).spec().params(), second.candidates().get(i).spec().params()));
      assertEquals(first.candidates().get(i).testFitness(), second.candidates().get(i).testFitness(), 0);
    }
  }

  /**
   * On a folder with a symbol's candles of two intervals: the run names the interval (refused
   * otherwise, before anything is journaled), and reads its candles off the actor's thread.
   */
  @Test
  public void onAFolderTheRunNamesSymbolAndInterval() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("candles"));
    Files.copy(Path.of("src/test/resources/market/real/BTCUSDT-1h.csv"), folder.resolve("BTCUSDT-1h.csv"));
    Files.copy(Path.of("src/test/resources/market/real/ETHUSDT-5m.csv"), folder.resolve("BTCUSDT-5m.csv"));
    RunReply refused = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, folder.toString(), "BTCUSDT", null, 10, 2,
        1L, "otto", rt));
    assertTrue("expected a refusal, got " + refused, refused instanceof StrategyGenerator.RunRefused);
    assertTrue(((StrategyGenerator.RunRefused) refused).message(), ((StrategyGenerator.RunRefused) refused).message()
        .contains("several series [BTCUSDT 1h, BTCUSDT 5m]"));
    RunReply unknown = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, folder.toString(), "SOLUSDT", null, 10, 2,
        1L, "otto", rt));
    assertTrue("expected a refusal, got " + unknown, unknown instanceof StrategyGenerator.RunRefused);
    // without candle data (the synthetic market) a symbol cannot be chosen
    RunReply noData = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, null, "BTCUSDT", null, 10, 2, 1L, "otto", rt));
    assertTrue("expected a refusal, got " + noData, noData instanceof StrategyGenerator.RunRefused rr
        && rr.message().contains("no candle data"));

    RunReply r = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, folder.toString(), "btcusdt", "5m", 10, 2,
        1L, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    assertEquals("run-1-trend_ema_cross", ((RunStatus) r).runId()); // the refusals journaled nothing
    RunStatus done = awaitState(((RunStatus) r).runId(), "DONE");
    assertEquals(folder + " BTCUSDT 5m", done.data());
    assertTrue(done.barStepsPerSecond() > 0);

    // candles too few for the template to trade: the run ends FAILED saying so (as `evolve` refuses them)
    Path few = Files.createDirectories(dir.resolve("few"));
    Files.write(few.resolve("BTCUSDT-1h.csv"), Files.readAllLines(Path.of("src/test/resources/market/real/BTCUSDT-1h.csv")).subList(0, 20));
    RunReply shortRun = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, few.toString(), null, null, 10, 2,
        1L, "otto", rt));
    assertTrue("expected a status, got " + shortRun, shortRun instanceof RunStatus);
    RunStatus failed = awaitState(((RunStatus) shortRun).runId(), "FAILED");
    assertTrue(failed.error(), failed.error().startsWith("too few candles to evolve: the training window has 13 bars"));
  }

  /**
   * On a node whose interval is set (QT_MARKET_INTERVAL=1h), a symbol the data lacks is answered with
   * the series of that interval, not every file; a symbol with other intervals only says so.
   */
  @Test
  public void whatTheDataHoldsIsListedInTheNodesInterval() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(Path.of("src/test/resources/market/real/BTCUSDT-1h.csv"), folder.resolve("BTCUSDT-1h.csv"));
    Files.copy(Path.of("src/test/resources/market/real/ADAUSDT-1h.csv"), folder.resolve("ADAUSDT-1h.csv"));
    for (String daily : List.of("AAPL", "AAL", "ABT")) {
      Files.copy(Path.of("src/test/resources/market/real/ETHUSDT-5m.csv"), folder.resolve(daily + "-1d.csv"));
    }
    dataIntervals = java.util.Set.of("1h");
    restart();
    RunReply unknown = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, folder.toString(), "FOOUSDT", null, 10, 2,
        1L, "otto", rt));
    assertTrue("expected a refusal, got " + unknown, unknown instanceof StrategyGenerator.RunRefused);
    assertEquals("no FOOUSDT candles in " + folder + "; it holds 2 series of 1h: [ADAUSDT 1h, BTCUSDT 1h] (3 of other intervals)",
        ((StrategyGenerator.RunRefused) unknown).message());
    RunReply daily = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, folder.toString(), "aapl", null, 10, 2,
        1L, "otto", rt));
    assertEquals("AAPL has candles of 1d only, not of the node's interval 1h (QT_MARKET_INTERVAL): name the interval to evolve on"
        + " (e.g. interval 1d)", ((StrategyGenerator.RunRefused) daily).message());
  }

  /**
   * A kept candidate whose registration outcome is not in the journal when the system stops (the
   * registry had not answered yet) is registered after the restart, and starts its shadow period.
   */
  @Test
  public void aKeptCandidateNotYetRegisteredWhenTheSystemStopsIsRegisteredAfterTheRestart() throws Exception {
    Path csv = dir.resolve("PLANTED-1h.csv");
    writeCsv(GeneratorPlantedEdgeTest.plantedRallies(20260301, 150), csv);
    Files.writeString(csv, "2030-01-01 00:00:00,not,a,bar,1,1000,PLANTED\n", java.nio.file.StandardOpenOption.APPEND);
    kit.shutdownTestKit();
    TestProbe<StrategyRegistry.Command> silent = boot(true);

    RunReply r = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, csv.toString(), null, null, 100, 20,
        20260301L, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    String runId = ((RunStatus) r).runId();
    RunStatus done = awaitState(runId, "DONE");
    // the row that is not a bar is left out, and the run says so
    assertEquals("left out 1 row that is not a valid bar: PLANTED 1 UNPARSABLE", done.rowsLeftOut());
    List<CandidateView> kept = done.candidates().stream().filter(CandidateView::kept).toList();
    assertTrue("the planted edge gave no kept candidate: " + done.candidates(), !kept.isEmpty());
    // the registry got the first registration but has not answered; the outcome is not journaled
    StrategyRegistry.Register first = silent.expectMessageClass(StrategyRegistry.Register.class, T);
    assertEquals(kept.get(0).spec(), first.spec());
    // the windows' figures as the registry keeps them, with the days each window spans (hourly bars, 70 % training)
    int bars = GeneratorPlantedEdgeTest.plantedRallies(20260301, 150).size();
    assertEquals(first.backtest().toString(), (Math.round(bars * 0.7) - 1) / 24.0, first.backtest().inSample().days(), 1);
    assertEquals(first.backtest().toString(), (bars - Math.round(bars * 0.7) - 1) / 24.0, first.backtest().outOfSample().days(), 1);
    for (CandidateView c : done.candidates()) {
      assertEquals(c.toString(), c.kept(), "kept".equals(c.verdict()));
      if (!c.kept()) assertTrue(c.verdict(), c.verdict().contains("<"));
    }
    for (CandidateView c : kept) assertNull(c.registered());

    restart();
    for (CandidateView c : kept) {
      String id = c.spec().id();
      kit.createTestProbe().awaitAssert(T, () -> {
        CandidateView v = status(runId).candidates().stream().filter(x -> x.spec().id().equals(id)).findFirst().orElseThrow();
        assertEquals("registered, in SHADOW", v.registered());
        return null;
      });
      TestProbe<StrategyRegistry.Reply> p = kit.createTestProbe();
      kit.createTestProbe().awaitAssert(T, () -> {
        registry.tell(new StrategyRegistry.Get(id, p.getRef()));
        StrategyRegistry.Reply got = p.receiveMessage(T);
        assertTrue("got " + got, got instanceof StrategyRegistry.Accepted);
        StrategyRegistry.StrategyInfo info = ((StrategyRegistry.Accepted) got).strategy();
        assertEquals(c.spec(), info.spec());
        assertEquals(StrategyRegistry.Lifecycle.SHADOW, info.state());
        return null;
      });
    }
  }

  /**
   * A shadow start the registry does not answer is asked again (the registration too, which the
   * registry then knows), and the candidate's outcome is journaled only once the registry has said
   * it is in SHADOW.
   */
  @Test
  public void aShadowStartTheRegistryDidNotAnswerIsAskedAgainBeforeTheOutcomeIsJournaled() throws Exception {
    newKit();
    java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet(),
        asked = java.util.concurrent.ConcurrentHashMap.newKeySet(), inShadow = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Map<String, StrategySpec> specs = new java.util.concurrent.ConcurrentHashMap<>();
    // answers every registration; drops the first shadow start of each strategy
    ActorRef<StrategyRegistry.Command> flaky = kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(StrategyRegistry.Command.class)
        .onMessage(StrategyRegistry.Register.class, m -> {
          specs.putIfAbsent(m.spec().id(), m.spec());
          m.replyTo().tell(registered.add(m.spec().id())
              ? new StrategyRegistry.Accepted(info(m.spec(), StrategyRegistry.Lifecycle.CANDIDATE))
              : new StrategyRegistry.Rejected(StrategyRegistry.RejectionCode.ALREADY_REGISTERED, "already registered"));
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .onMessage(StrategyRegistry.Get.class, m -> {
          m.replyTo().tell(new StrategyRegistry.Accepted(info(specs.get(m.strategyId()),
              inShadow.contains(m.strategyId()) ? StrategyRegistry.Lifecycle.SHADOW : StrategyRegistry.Lifecycle.CANDIDATE)));
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .onMessage(StrategyRegistry.StartShadow.class, m -> {
          if (asked.add(m.strategyId())) return akka.actor.typed.javadsl.Behaviors.same();
          inShadow.add(m.strategyId());
          m.replyTo().tell(new StrategyRegistry.Accepted(info(StrategySpec.defaults(m.strategyId(), Template.TREND_EMA_CROSS),
              StrategyRegistry.Lifecycle.SHADOW)));
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .build());
    String runId = plantedRun(flaky);
    for (CandidateView c : kept(runId)) {
      String id = c.spec().id();
      awaitOutcome(runId, id, "registered, in SHADOW");
      assertTrue(id + " is in SHADOW at the registry when its outcome says so", inShadow.contains(id));
    }
  }

  /**
   * A kept candidate whose id another strategy already has (an operator registered it first) is not
   * registered, and that strategy is left as it is: no shadow start is asked for it.
   */
  @Test
  public void aCandidateWhoseIdIsTakenByAnotherStrategyLeavesThatStrategyAlone() throws Exception {
    newKit();
    java.util.Set<String> shadowAsked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // every id is taken by an operator's mean-reversion strategy in SHADOW
    ActorRef<StrategyRegistry.Command> taken = kit.spawn(akka.actor.typed.javadsl.Behaviors.receive(StrategyRegistry.Command.class)
        .onMessage(StrategyRegistry.Register.class, m -> {
          m.replyTo().tell(new StrategyRegistry.Rejected(StrategyRegistry.RejectionCode.ALREADY_REGISTERED, "already registered"));
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .onMessage(StrategyRegistry.Get.class, m -> {
          m.replyTo().tell(new StrategyRegistry.Accepted(new StrategyRegistry.StrategyInfo(
              StrategySpec.defaults(m.strategyId(), Template.MEAN_REVERSION), StrategyRegistry.Lifecycle.SHADOW, "ops", null, null, null,
              null, List.of())));
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .onMessage(StrategyRegistry.StartShadow.class, m -> {
          shadowAsked.add(m.strategyId());
          return akka.actor.typed.javadsl.Behaviors.same();
        })
        .build());
    String runId = plantedRun(taken);
    for (CandidateView c : kept(runId)) {
      String id = c.spec().id();
      awaitOutcome(runId, id, "not registered: the id " + id + " is taken by another strategy (MEAN_REVERSION, registered by ops, SHADOW)");
    }
    assertTrue("shadow starts asked for another's strategy: " + shadowAsked, shadowAsked.isEmpty());
  }

  /** A new actor system on the same journal, for a generator with a registry of the test's own; the planted candles in dir. */
  private void newKit() throws Exception {
    writeCsv(GeneratorPlantedEdgeTest.plantedRallies(20260301, 150), dir.resolve("PLANTED-1h.csv"));
    kit.shutdownTestKit();
    kit = ActorTestKit.create("QuantumTrader", config);
  }

  /** A generator answered by {@code registry} runs on the planted candles to the end; its run id. */
  private String plantedRun(ActorRef<StrategyRegistry.Command> registry) {
    generator = kit.spawn(StrategyGenerator.create(new StrategyGenerator.Settings(200, 50, syntheticBars, dataIntervals, resume, 0.65),
        registry, Duration.ofMillis(300)));
    RunReply r = ask(rt -> new StrategyGenerator.StartRun(Template.TREND_EMA_CROSS, dir.resolve("PLANTED-1h.csv").toString(), null, null,
        100, 20, 20260301L, "otto", rt));
    assertTrue("expected a status, got " + r, r instanceof RunStatus);
    String runId = ((RunStatus) r).runId();
    awaitState(runId, "DONE");
    return runId;
  }

  /** The run's kept candidates (the planted edge gives some). */
  private List<CandidateView> kept(String runId) {
    List<CandidateView> kept = status(runId).candidates().stream().filter(CandidateView::kept).toList();
    assertTrue("the planted edge gave no kept candidate", !kept.isEmpty());
    return kept;
  }

  /** Waits for the registry's answer on candidate {@code id} of the run to be journaled as {@code outcome}. */
  private void awaitOutcome(String runId, String id, String outcome) {
    kit.createTestProbe().awaitAssert(T, () -> {
      assertEquals(outcome, status(runId).candidates().stream().filter(x -> x.spec().id().equals(id)).findFirst().orElseThrow().registered());
      return null;
    });
  }

  private static StrategyRegistry.StrategyInfo info(StrategySpec spec, StrategyRegistry.Lifecycle state) {
    return new StrategyRegistry.StrategyInfo(spec, state, "SG_AI", null, null, null, null, List.of());
  }

  /** Candles as the generic CSV a folder feed reads (doubles printed exactly). */
  static void writeCsv(BarArrays b, Path file) throws Exception {
    StringBuilder out = new StringBuilder("date,open,high,low,close,volume,ticker\n");
    java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(java.time.ZoneOffset.UTC);
    for (int i = 0; i < b.size(); i++) {
      out.append(f.format(Instant.ofEpochMilli(b.openTime(i)))).append(',').append(b.open(i)).append(',').append(b.high(i)).append(',')
          .append(b.low(i)).append(',').append(b.close(i)).append(",1000,").append(b.symbol).append('\n');
    }
    Files.writeString(file, out);
  }

  /** The state as a snapshot: through the configured serializer and back, equal. */
  /**
   * Beyond the last 20 runs the state keeps those with a registered candidate (the origin of a
   * strategy in the registry stays readable), at most 40 in all; one whose registration failed is not
   * kept for it. A run no longer kept is answered as such, not as one that never was.
   */
  @Test
  public void runsWithARegisteredCandidateOutliveTheLastTwenty() throws Exception {
    BacktestResult.Summary figures = new BacktestResult.Summary(0.1, 1.0, 1.2, 0.05, 0.5, 1.4, 0.3, 12, 11_000, 30);
    StrategyGenerator.State s = new StrategyGenerator.State(0, List.of());
    for (int i = 1; i <= 100; i++) {
      String id = "run-" + i + "-trend_ema_cross";
      List<CandidateView> cs = new java.util.ArrayList<>();
      for (int k = 0; k < 5; k++) {
        cs.add(new CandidateView(StrategySpec.defaults(id + "-" + k, Template.TREND_EMA_CROSS), 1.5, 0.7, k == 0, "kept", figures, figures,
            null));
      }
      s = s.apply(new StrategyGenerator.RunStarted(id, Template.TREND_EMA_CROSS, "synthetic", 20, 4, i, "otto",
              Instant.parse("2026-11-25T10:00:00Z"), new StrategyGenerator.RunSource(null, null, null, 3_000, null)))
          .apply(new StrategyGenerator.RunFinished(id, "DONE", new Evolver.Progress(4, 4, 1.5, 0.2, 60, 900.0), 1e8, cs, null));
      // every third registered; every fifth refused by the registry (not kept for that)
      String outcome = i % 3 == 0 ? "registered, in SHADOW" : i % 5 == 0 ? "not registered: blocked by the policy" : null;
      if (outcome != null) s = s.apply(new StrategyGenerator.CandidateRegistered(id, id + "-0", outcome));
    }
    List<String> ids = s.runs().stream().map(RunStatus::runId).toList();
    assertEquals(40, ids.size());
    for (int i = 81; i <= 100; i++) assertTrue(ids.toString(), ids.contains("run-" + i + "-trend_ema_cross"));
    assertTrue(ids.toString(), ids.stream().limit(20).allMatch(id -> Integer.parseInt(id.split("-")[1]) % 3 == 0));
    // 26 registered runs before run 81 (3, 6, ... 78): the 6 oldest are past the cap
    assertEquals("run-21-trend_ema_cross", ids.get(0));
    assertTrue(s.notFound("run-4-trend_ema_cross"), s.notFound("run-4-trend_ema_cross").startsWith("no run run-4-trend_ema_cross among"
        + " those kept: the generator keeps the last 20 of its 100 runs"));
    assertEquals("no run run-100-mean_reversion; run 100 is run-100-trend_ema_cross", s.notFound("run-100-mean_reversion"));
    assertEquals("no run run-0100-trend_ema_cross", s.notFound("run-0100-trend_ema_cross"));
    assertEquals("no run run-101-trend_ema_cross", s.notFound("run-101-trend_ema_cross"));
    assertEquals("no run bogus", s.notFound("bogus"));
    // the state and the runs' list cross nodes as one message: well under Akka's 256 KiB frame
    Serialization serialization = SerializationExtension.get(kit.system());
    assertTrue(serialization.serialize(s).get().length < 160_000);
  }

  /** The state as a snapshot: through the configured serializer and back, equal. */
  @Test
  public void theStateSerializesForSnapshots() throws Exception {
    BacktestResult.Summary figures = new BacktestResult.Summary(0.1, Double.NaN, 1.2, 0.05, 0.5, 1.4, 0.3, 12, 11_000, 30);
    StrategySpec spec = StrategySpec.defaults("run-1-trend_ema_cross-0", Template.TREND_EMA_CROSS);
    StrategyGenerator.State s = new StrategyGenerator.State(0, List.of())
        .apply(new StrategyGenerator.RunStarted("run-1-trend_ema_cross", Template.TREND_EMA_CROSS, "synthetic", 20, 4, 3, "otto",
            Instant.parse("2026-11-25T10:00:00Z"), new StrategyGenerator.RunSource(null, null, null, 3_000, null)))
        .apply(new StrategyGenerator.RunResumed("run-1-trend_ema_cross", 1, "the strategy generator stopped during the run"))
        .apply(new StrategyGenerator.RunFinished("run-1-trend_ema_cross", "DONE", new Evolver.Progress(4, 4, 1.5, 0.2, 60, 900.0),
            1e8, List.of(new CandidateView(spec, 1.5, 0.7, true, "kept", figures, figures, null)), "BTCUSDT 1 UNPARSABLE"))
        .apply(new StrategyGenerator.CandidateRegistered("run-1-trend_ema_cross", spec.id(), "registered, in SHADOW"));
    assertEquals("registered, in SHADOW", s.runs().get(0).candidates().get(0).registered());
    assertEquals("BTCUSDT 1 UNPARSABLE", s.runs().get(0).rowsLeftOut());
    assertEquals(1, s.runs().get(0).resumes());
    assertNull(s.running());

    Serialization serialization = SerializationExtension.get(kit.system());
    byte[] bytes = serialization.serialize(s).get();
    var serializer = serialization.findSerializerFor(s);
    Object back = serialization.deserialize(bytes, serializer.identifier(), akka.serialization.Serializers.manifestFor(serializer, s)).get();
    assertEquals(s.toString(), back.toString());
  }

  /** Writes events into the generator's journal as an earlier version (or another template's parameters) might have. */
  private static final class JournalWriter
      extends akka.persistence.typed.javadsl.EventSourcedBehavior<JournalWriter.Write, StrategyGenerator.Event, Integer> {
    record Write(List<StrategyGenerator.Event> events, ActorRef<akka.Done> replyTo) {}

    JournalWriter() {
      super(akka.persistence.typed.PersistenceId.ofUniqueId(StrategyGenerator.PERSISTENCE_ID));
    }

    @Override
    public Integer emptyState() {
      return 0;
    }

    @Override
    public akka.persistence.typed.javadsl.CommandHandler<Write, StrategyGenerator.Event, Integer> commandHandler() {
      return (state, w) -> Effect().persist(w.events()).thenRun(s -> w.replyTo().tell(akka.Done.getInstance()));
    }

    @Override
    public akka.persistence.typed.javadsl.EventHandler<Integer, StrategyGenerator.Event> eventHandler() {
      return (state, e) -> state + 1;
    }
  }

  /** A checkpoint this version cannot go on from (another population here) is set aside: the run starts from its first generation. */
  @Test
  public void aCheckpointThatCannotBeGoneOnFromRestartsTheRunFromItsFirstGeneration() throws Exception {
    kit.shutdownTestKit();
    kit = ActorTestKit.create("QuantumTrader", config);
    String id = "run-1-trend_ema_cross";
    Evolver.Checkpoint wrong = new Evolver.Checkpoint(3, 90, 1234, 1.5, 0.2,
        List.of(new double[] {12, 26, 14, 2, 0}, new double[] {12, 26, 14, 2, 0}, new double[] {12, 26, 14, 2, 0}),
        new double[] {1.5, 1.5, 1.5}, new long[] {2, 2, 2}, List.of(), new double[0], 0.7);
    TestProbe<akka.Done> written = kit.createTestProbe();
    kit.spawn(akka.actor.typed.javadsl.Behaviors.<JournalWriter.Write>setup(ctx -> new JournalWriter())).tell(new JournalWriter.Write(List.of(
        new StrategyGenerator.RunStarted(id, Template.TREND_EMA_CROSS, "synthetic (3000 hourly bars, seed 41)", 40, 30, 41, "otto",
            Instant.parse("2026-11-26T10:00:00Z"), new StrategyGenerator.RunSource(null, null, null, 3_000, null)),
        new StrategyGenerator.RunCheckpointed(id, 0, wrong)), written.getRef()));
    written.receiveMessage(T);
    kit.shutdownTestKit();
    try (com.quantumtrader.testsupport.CapturedLogs logs = new com.quantumtrader.testsupport.CapturedLogs()) {
      boot();
      RunStatus done = awaitState(id, "DONE");
      assertEquals(1, done.resumes());
      assertEquals(30, done.progress().generation());
      assertTrue(logs.warnings().toString(), logs.warnings().stream().anyMatch(w -> w.contains("sg-ai: run " + id + " resumed (attempt 1)")
          && w.contains("started again from its first generation (its checkpoint cannot be gone on from: a population of 3, not 40)")));
    }
    // and it ends as the same run started afresh
    RunStatus fresh = awaitState(startRun(Template.TREND_EMA_CROSS, 40, 30, 41).runId(), "DONE");
    assertEquals(fresh.progress().evaluations(), status(id).progress().evaluations());
  }

  /** A large population's checkpoints are taken less often, so that they take at most about 50 MiB of journal an hour. */
  @Test
  public void aLargePopulationsCheckpointsAreFewer() {
    java.time.Duration every = java.time.Duration.ofSeconds(30);
    assertEquals(every, StrategyGenerator.checkpointInterval(every, 200, 5));
    java.time.Duration big = StrategyGenerator.checkpointInterval(every, 100_000, 5);
    assertTrue(big.toString(), big.toSeconds() >= 420 && big.toSeconds() <= 450);
  }

  /** A run's checkpoint: kept while it runs (the latest, of the attempt under way), through a snapshot, dropped when it ends. */
  @Test
  public void aCheckpointIsKeptWhileItsRunRunsAndSerializes() throws Exception {
    String id = "run-1-trend_ema_cross";
    Evolver.Checkpoint c = new Evolver.Checkpoint(3, 90, 1234, 1.5, Double.NaN, List.of(new double[] {12, 26, 14, 2, 0}),
        new double[] {1.5}, new long[] {2}, List.of(new double[] {12, 26, 14, 2, 0}), new double[] {1.5}, 0.7);
    StrategyGenerator.State s = new StrategyGenerator.State(0, List.of())
        .apply(new StrategyGenerator.RunStarted(id, Template.TREND_EMA_CROSS, "synthetic", 1, 4, 3, "otto",
            Instant.parse("2026-11-25T10:00:00Z"), new StrategyGenerator.RunSource(null, null, null, 3_000, null)))
        .apply(new StrategyGenerator.RunCheckpointed(id, 0, c))
        .apply(new StrategyGenerator.RunCheckpointed(id, 1, c)); // of another attempt: not this one's
    assertEquals(c, s.checkpoint(id));
    Serialization serialization = SerializationExtension.get(kit.system());
    var serializer = serialization.findSerializerFor(s);
    StrategyGenerator.State back = (StrategyGenerator.State) serialization.deserialize(serialization.serialize(s).get(), serializer.identifier(),
        akka.serialization.Serializers.manifestFor(serializer, s)).get();
    Evolver.Checkpoint read = back.checkpoint(id);
    assertEquals(3, read.generation());
    assertEquals(1234, read.randomDraws());
    assertTrue(Double.isNaN(read.lastMedian()));
    assertTrue(java.util.Arrays.equals(c.genes().get(0), read.genes().get(0)));
    assertTrue(java.util.Arrays.equals(c.born(), read.born()));
    assertNull(s.apply(new StrategyGenerator.RunInterrupted(id, "interrupted")).checkpoint(id));
    assertNull(s.apply(new StrategyGenerator.RunFailed(id, null, "no candles")).checkpoint(id));
    // a snapshot of the version before checkpoints reads with none
    assertNull(new StrategyGenerator.State(1, s.runs(), null).checkpoint(id));
  }

  /**
   * A run start journaled before runs kept their source (no {@code source} field) still reads, with
   * a null source (on recovery such a run is marked INTERRUPTED, not resumed).
   */
  @Test
  public void aRunStartJournaledWithoutItsSourceStillReads() throws Exception {
    StrategyGenerator.RunStarted now = new StrategyGenerator.RunStarted("run-1-trend_ema_cross", Template.TREND_EMA_CROSS,
        "synthetic", 20, 4, 3, "otto", Instant.parse("2026-11-25T10:00:00Z"), null);
    Object back = com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), now, "source");
    assertEquals(now, back);

    StrategyGenerator.State st = new StrategyGenerator.State(0, List.of()).apply((StrategyGenerator.Event) back);
    assertNull(st.runs().get(0).source());
    assertEquals(0, st.runs().get(0).resumes());
  }

  /**
   * A finished run journaled before candidates had verdicts, figures their days, and runs their rows
   * left out still reads: null verdict, 0 days, null rows left out.
   */
  @Test
  public void aRunFinishedWithoutVerdictsOrDaysStillReads() throws Exception {
    BacktestResult.Summary figures = new BacktestResult.Summary(0.1, 0.8, 1.2, 0.05, 0.5, 1.4, 0.3, 12, 11_000, 0);
    StrategySpec spec = StrategySpec.defaults("run-1-trend_ema_cross-0", Template.TREND_EMA_CROSS);
    StrategyGenerator.RunFinished now = new StrategyGenerator.RunFinished("run-1-trend_ema_cross", "DONE",
        new Evolver.Progress(4, 4, 1.5, 0.2, 60, 900.0), 1e8, List.of(new CandidateView(spec, 1.5, 0.7, true, null, figures, figures, null)),
        null);
    assertEquals(now, com.quantumtrader.testsupport.OldEvents.withoutField(kit.system(), now, "candidates.0.verdict",
        "candidates.0.inSample.days", "candidates.0.outOfSample.days", "rowsLeftOut"));
  }
}
