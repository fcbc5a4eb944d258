package com.quantumtrader.execution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.quantumtrader.execution.PaperBroker.PortfolioView;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.market.Bar;
import com.quantumtrader.market.SyntheticMarket;
import com.quantumtrader.testsupport.TestNodes;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The paper broker on the real (H2) journal: fills, fees, stops, and recovery of the exact book. */
public class PaperBrokerTest {
  private static final double FEE = 0.001, SLIP = 0.0005;
  private static final PaperBroker.Settings SETTINGS =
      new PaperBroker.Settings(100_000, FEE, SLIP, Duration.ofHours(1), Duration.ofMinutes(10));
  private static Config config;
  private static ActorTestKit kit;

  @BeforeClass
  public static void start() throws Exception {
    config = TestNodes.h2(Files.createTempDirectory("qt-broker-"), Map.of());
    kit = ActorTestKit.create("QuantumTrader", config);
  }

  @AfterClass
  public static void stop() {
    kit.shutdownTestKit();
  }

  private static long seq;

  private static void bar(ActorTestKit k, ActorRef<PaperBroker.Command> broker, String symbol, long t, double o, double h,
      double l, double c) {
    TestProbe<PaperBroker.BarsApplied> ack = k.createTestProbe();
    long s = ++seq;
    broker.tell(new PaperBroker.Bars(symbol, "1h", new long[] {t}, new double[] {o}, new double[] {h}, new double[] {l},
        new double[] {c}, s, ack.getRef()));
    assertEquals(s, ack.receiveMessage(Duration.ofSeconds(10)).seq());
  }

  private static PaperBroker.OrderReply place(ActorTestKit k, ActorRef<PaperBroker.Command> broker, Order o) {
    TestProbe<PaperBroker.OrderReply> r = k.createTestProbe();
    broker.tell(new PaperBroker.PlaceOrder(o, r.getRef()));
    return r.receiveMessage(Duration.ofSeconds(10));
  }

  private static PortfolioView portfolio(ActorTestKit k, ActorRef<PaperBroker.Command> broker) {
    TestProbe<PortfolioView> r = k.createTestProbe();
    broker.tell(new PaperBroker.GetPortfolio(r.getRef()));
    return r.receiveMessage(Duration.ofSeconds(10));
  }

  private static Order open(String id, String symbol, double qty, double stop, double tp, long after) {
    return new Order(id, "s1", symbol, Side.LONG, Order.Intent.OPEN, qty, stop, tp, after, 0.9, 1, "test");
  }

  @Test
  public void marketEntryFillsAtTheNextOpenAndTheStopIsTakenBeforeTheTakeProfit() {
    TestProbe<com.quantumtrader.bus.EventEnvelope> trades = kit.createTestProbe();
    com.quantumtrader.bus.EventBus.get(kit.system()).subscribe("test-trades",
        java.util.Set.of(com.quantumtrader.bus.EventType.TRADE_EXECUTED),
        kit.spawn(akka.actor.typed.javadsl.Behaviors.<com.quantumtrader.bus.Delivery>receiveMessage(d -> {
          trades.getRef().tell(d.event());
          d.ack();
          return akka.actor.typed.javadsl.Behaviors.same();
        })));
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
      assertTrue(com.quantumtrader.bus.EventBus.get(kit.system())
          .localSubscriberCount(com.quantumtrader.bus.EventType.TRADE_EXECUTED, Duration.ofSeconds(1))
          .toCompletableFuture().join() >= 1);
      return null;
    });
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(SETTINGS, "broker-fills"));
    bar(kit, b, "AAA", 0, 100, 101, 99, 100);
    assertTrue(place(kit, b, open("o1", "AAA", 10, 95, 110, 0)) instanceof PaperBroker.OrderAccepted);
    // Same symbol again while the first is working: refused, as a repeat (nothing wrong with the book).
    assertTrue(place(kit, b, open("o2", "AAA", 10, 95, 110, 0)) instanceof PaperBroker.OrderRefused r && r.repeatOrLate());
    assertTrue(place(kit, b, open("o1", "AAA", 10, 95, 110, 0)) instanceof PaperBroker.OrderRefused r && r.repeatOrLate());

    bar(kit, b, "AAA", 3_600_000, 102, 103, 100, 101); // entry at 102 × (1 + slippage)
    PortfolioView v = portfolio(kit, b);
    double entry = 102 * (1 + SLIP), entryFee = FEE * 10 * entry;
    assertEquals(1, v.positions().size());
    assertEquals(entry, v.positions().get(0).position().entryPrice(), 1e-12);
    assertEquals(100_000 - 10 * entry - entryFee, v.cash(), 1e-9);
    assertEquals(100_000 - 10 * entry - entryFee + 10 * 101, v.equity(), 1e-9);

    // Both the stop (95) and the take-profit (110) inside one bar: the stop is taken, with slippage.
    bar(kit, b, "AAA", 7_200_000, 100, 111, 94, 105);
    v = portfolio(kit, b);
    double exit = 95 * (1 - SLIP), exitFee = FEE * 10 * exit;
    assertEquals(0, v.positions().size());
    assertEquals(1, v.closedTrades());
    assertEquals(10 * (exit - entry) - entryFee - exitFee, v.realizedPnl(), 1e-9);
    assertEquals(100_000 + v.realizedPnl(), v.cash(), 1e-9);
    assertEquals(entryFee + exitFee, v.feesPaid(), 1e-12);

    // Each fill was published as trade.executed, entry then exit.
    com.quantumtrader.bus.TradeExecuted in = (com.quantumtrader.bus.TradeExecuted) trades.receiveMessage(Duration.ofSeconds(10)).payload();
    com.quantumtrader.bus.TradeExecuted out = (com.quantumtrader.bus.TradeExecuted) trades.receiveMessage(Duration.ofSeconds(10)).payload();
    assertEquals("BUY", in.side());
    assertEquals(entry, in.price(), 1e-12);
    assertEquals(entryFee, in.fee(), 1e-12);
    assertEquals("SELL", out.side());
    assertEquals(exit, out.price(), 1e-12);
    assertEquals("o1", out.orderId());
  }

  @Test
  public void aGapThroughTheStopFillsAtTheOpenAndACloseOrderFillsAtTheNextOpen() {
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(SETTINGS, "broker-gap"));
    bar(kit, b, "BBB", 0, 50, 51, 49, 50);
    place(kit, b, open("g1", "BBB", 100, 48, Double.NaN, 0));
    bar(kit, b, "BBB", 1, 50, 50.5, 49.5, 50);
    bar(kit, b, "BBB", 2, 45, 46, 44, 45.5); // opens below the stop
    PortfolioView v = portfolio(kit, b);
    double entry = 50 * (1 + SLIP), exit = 45 * (1 - SLIP);
    assertEquals(100 * (exit - entry) - FEE * 100 * (entry + exit), v.realizedPnl(), 1e-9);

    place(kit, b, open("g2", "BBB", 100, 40, Double.NaN, 2));
    bar(kit, b, "BBB", 3, 46, 47, 45, 46);
    assertTrue(place(kit, b, new Order("g3", "s1", "BBB", Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, 3, 0, 0,
        "exit signal")) instanceof PaperBroker.OrderAccepted);
    bar(kit, b, "BBB", 4, 47, 48, 46, 47.5);
    v = portfolio(kit, b);
    assertEquals(0, v.positions().size());
    assertEquals(2, v.closedTrades());
  }

  /**
   * An entry fills on the bar after its signal's bar or not at all: one that reaches the book after
   * that bar is refused as stale (after a database outage the book took the bars it had held in a
   * burst, and entries decided meanwhile filled 2 to 6 bars late). An exit still goes at the next bar.
   */
  @Test
  public void anEntryThatComesAfterItsFillBarIsRefusedAsStale() {
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(SETTINGS, "broker-stale"));
    bar(kit, b, "DDD", 0, 50, 51, 49, 50);
    bar(kit, b, "DDD", 1, 50, 51, 49, 50);
    bar(kit, b, "DDD", 2, 50, 51, 49, 50);
    PaperBroker.OrderReply late = place(kit, b, open("s1", "DDD", 10, 45, Double.NaN, 0)); // decided on bar 0
    assertTrue(late instanceof PaperBroker.OrderRefused r && r.stale());
    assertTrue(((PaperBroker.OrderRefused) late).reason(), ((PaperBroker.OrderRefused) late).reason()
        .startsWith("stale: the bar after its signal's bar (1970-01-01T00:00:00Z) has passed; the book is at 1970-01-01T00:00:00.002Z"));
    assertTrue(place(kit, b, open("s2", "DDD", 10, 45, Double.NaN, 2)) instanceof PaperBroker.OrderAccepted); // on the latest bar
    bar(kit, b, "DDD", 3, 52, 53, 51, 52);
    assertEquals(52 * (1 + SLIP), portfolio(kit, b).positions().get(0).position().entryPrice(), 1e-12);
    bar(kit, b, "DDD", 4, 52, 53, 51, 52);
    // an exit decided on bar 3 reaching the book after bar 4 still closes, at the next open
    assertTrue(place(kit, b, new Order("s3", "s1", "DDD", Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, 3, 0, 0,
        "exit signal")) instanceof PaperBroker.OrderAccepted);
    bar(kit, b, "DDD", 5, 53, 54, 52, 53);
    assertEquals(0, portfolio(kit, b).positions().size());
  }

  @Test
  public void refusesMalformedOrders() {
    ActorRef<PaperBroker.Command> b = kit.spawn(PaperBroker.create(SETTINGS, "broker-bad"));
    assertTrue(place(kit, b, open("x1", "CCC", -1, 1, Double.NaN, 0)) instanceof PaperBroker.OrderRefused r && !r.repeatOrLate());
    assertTrue(place(kit, b, open("x2", "CCC", Double.NaN, 1, Double.NaN, 0)) instanceof PaperBroker.OrderRefused);
    assertTrue(place(kit, b, open("x3", "CCC", 1, -5, Double.NaN, 0)) instanceof PaperBroker.OrderRefused);
    assertTrue(place(kit, b, new Order("x4", "s1", "CCC", Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, 0, 0, 0,
        "nothing to close")) instanceof PaperBroker.OrderRefused);
  }

  /**
   * A run stopped half-way (the whole actor system, as a node would be) and resumed gives the same
   * book as the same run without the stop: cash, positions, working orders and totals, exactly.
   */
  @Test
  public void aRestartMidRunRecoversTheExactPortfolio() throws Exception {
    List<Bar> bars = new ArrayList<>();
    SyntheticMarket m = new SyntheticMarket(7, 6, "1h", 0, 400);
    for (Bar x; (x = m.next()) != null; ) bars.add(x);

    PortfolioView straight = runOrders(kit, kit.spawn(PaperBroker.create(SETTINGS, "broker-straight")), bars, 0, bars.size());

    Config c2 = TestNodes.h2(Files.createTempDirectory("qt-broker-restart-"), Map.of());
    ActorTestKit first = ActorTestKit.create("QuantumTrader", c2);
    int half = bars.size() / 2 + 3;
    PortfolioView before;
    try {
      before = runOrders(first, first.spawn(PaperBroker.create(SETTINGS, "broker-restart")), bars, 0, half);
    } finally {
      first.shutdownTestKit();
    }
    ActorTestKit second = ActorTestKit.create("QuantumTrader", c2);
    try {
      ActorRef<PaperBroker.Command> b = second.spawn(PaperBroker.create(SETTINGS, "broker-restart"));
      PortfolioView recovered = portfolio(second, b);
      assertEquals(before.cash(), recovered.cash(), 0);
      assertEquals(before.realizedPnl(), recovered.realizedPnl(), 0);
      assertEquals(before.workingOrders(), recovered.workingOrders());
      assertEquals(positions(before), positions(recovered));
      PortfolioView resumed = runOrders(second, b, bars, half, bars.size());
      assertTrue("the run must trade for the comparison to mean anything", straight.closedTrades() > 5);
      assertEquals(straight.cash(), resumed.cash(), 0);
      assertEquals(straight.realizedPnl(), resumed.realizedPnl(), 0);
      assertEquals(straight.equity(), resumed.equity(), 0);
      assertEquals(straight.fills(), resumed.fills());
      assertEquals(positions(straight), positions(resumed));
    } finally {
      second.shutdownTestKit();
    }
  }

  private static List<Position> positions(PortfolioView v) {
    List<Position> out = new ArrayList<>();
    for (PaperBroker.PositionView p : v.positions()) out.add(p.position());
    return out;
  }

  /** Feeds bars [from, to) and, on every 17th bar, opens (or closes) a position in its symbol. */
  private static PortfolioView runOrders(ActorTestKit k, ActorRef<PaperBroker.Command> b, List<Bar> bars, int from, int to) {
    for (int i = from; i < to; i++) {
      Bar x = bars.get(i);
      bar(k, b, x.symbol(), x.openTime(), x.open(), x.high(), x.low(), x.close());
      if (i % 17 == 0) {
        PortfolioView v = portfolio(k, b);
        boolean holds = v.positions().stream().anyMatch(p -> p.position().symbol().equals(x.symbol()));
        Order o = holds
            ? new Order("c" + i, "s1", x.symbol(), Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, x.openTime(), 0, 0, "rotate")
            : open("o" + i, x.symbol(), 1000 / x.close(), x.close() * 0.99, x.close() * 1.02, x.openTime());
        place(k, b, o);
      }
    }
    return portfolio(k, b);
  }
}
