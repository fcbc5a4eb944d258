package com.quantumtrader.execution;

import com.quantumtrader.strategy.FillRules;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.TradeExecuted;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.execution.ExchangeGateway.Execution;
import com.quantumtrader.strategy.FillRules.ExitKind;
import com.quantumtrader.strategy.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;

/**
 * The paper broker: an event-sourced book (cash, positions, working orders) that executes the
 * orchestrator's orders against the bar stream through an {@link ExchangeGateway} ({@link
 * PaperExchange} by default). A cluster singleton, so the fund has one book.
 *
 * <p>Every batch of bars the market feed delivers comes here first: the fills it causes are
 * persisted before the batch is acknowledged (so the feed's backpressure covers the journal), each
 * fill is published as {@code trade.executed}, and the batch with a summary of the book then goes
 * to the registered listener (the orchestrator), which decides on it. An order is acknowledged only
 * once it is in the journal. Marks (each symbol's last close) are market data, not persisted; the
 * book's equity is persisted as an {@link EquityMarked} event every {@code mark-interval} of bar
 * time, which is what analytics draws the equity curve from.
 */
public final class PaperBroker
    extends EventSourcedBehaviorWithEnforcedReplies<PaperBroker.Command, PaperBroker.Event, Portfolio> {

  public static final String PERSISTENCE_ID = "paper-broker";
  public static final String TAG = "portfolio";
  public static final String SOURCE = "paper-broker";

  // ----- commands

  public sealed interface Command extends CborSerializable {}

  /** One symbol's bars, oldest first, as the feed validated them. Acknowledged with {@link BarsApplied}. */
  public record Bars(String symbol, String interval, long[] openTime, double[] open, double[] high, double[] low,
      double[] close, long seq, ActorRef<BarsApplied> ackTo) implements Command {}

  /**
   * A batch applied. Batches held while the broker restarts are answered after it has recovered, when
   * their asks have timed out (the batch is offered again): not logged as a dead letter.
   */
  public record BarsApplied(long seq) implements CborSerializable, akka.actor.DeadLetterSuppression {}

  public record PlaceOrder(Order order, ActorRef<OrderReply> replyTo) implements Command {}

  /** Tightens the stop of the symbol's open position (e.g. in DEFENSIVE mode); a looser stop is refused. */
  public record MoveStop(String symbol, double stop, String reason, ActorRef<OrderReply> replyTo) implements Command {}

  public record GetPortfolio(ActorRef<PortfolioView> replyTo) implements Command {}

  /** Who gets a {@link MarketUpdate} after each batch (idempotent; the latest registration wins). */
  public record RegisterListener(ActorRef<MarketUpdate> listener) implements Command {}

  private enum SummaryTick implements Command {
    INSTANCE
  }

  public sealed interface OrderReply extends CborSerializable {}

  public record OrderAccepted(String orderId) implements OrderReply {}

  /** Why an order was refused. */
  public enum Refusal {
    /** The order breaks a rule (quantity, stop, ...). */
    INVALID,
    /**
     * A repeat, or nothing to do (an order sent again after the broker's restart, a position stopped
     * out meanwhile): nothing is wrong with the book.
     */
    REPEAT,
    /** An entry that came after the bar it was to fill on (see {@link #STALE}). */
    STALE
  }

  public record OrderRefused(String orderId, String reason, Refusal refusal) implements OrderReply {
    public OrderRefused(String orderId, String reason) {
      this(orderId, reason, Refusal.INVALID);
    }

    /** An entry refused because the bar it was to fill on has passed. */
    public boolean stale() {
      return refusal == Refusal.STALE;
    }

    /** A repeat, or came too late: not a malformed order. */
    public boolean repeatOrLate() {
      return refusal == Refusal.REPEAT || refusal == Refusal.STALE;
    }
  }

  /**
   * The start of the refusal of an entry that comes after the bar it was to fill on: an entry fills at
   * the open of the bar after its signal's bar, as the backtester fills it, or not at all. A book
   * that ran ahead of the orchestrator (the bars held during a database outage, taken in a burst once
   * it was back) filled such entries hours of bar time late, at prices the signal never saw.
   */
  public static final String STALE = "stale: ";

  /** A batch, after the broker applied it, with the book as it is now. */
  public record MarketUpdate(String symbol, String interval, long[] openTime, double[] open, double[] high,
      double[] low, double[] close, BookSummary book) implements CborSerializable {}

  /**
   * The book as the orchestrator sizes against it. Working OPEN orders count as positions already
   * (in {@code openPositions} and, at their symbol's mark, in {@code grossExposure}), so that orders
   * in flight cannot together break a limit.
   *
   * @param holdings symbol → strategy id of every open position and working order
   */
  public record BookSummary(double equity, int openPositions, double grossExposure, Map<String, String> holdings)
      implements CborSerializable {}

  /**
   * The book as an operator sees it (a late answer to an ask that timed out while the broker
   * restarted is not logged as a dead letter).
   */
  public record PortfolioView(String gateway, double initialCapital, double cash, double equity, double realizedPnl,
      double unrealizedPnl, double feesPaid, double grossExposure, long fills, long closedTrades,
      List<PositionView> positions, List<Order> workingOrders) implements CborSerializable, akka.actor.DeadLetterSuppression {}

  public record PositionView(Position position, double mark, double unrealizedPnl) implements CborSerializable {}

  // ----- events (never change their meaning; add new ones)

  public sealed interface Event extends CborSerializable {}

  public record CapitalDeposited(double amount, Instant at) implements Event {}

  public record OrderPlaced(Order order, Instant at) implements Event {}

  public record OrderCancelled(String orderId, String symbol, String reason) implements Event {}

  /** An entry filled; the position's {@code openedAt} is the bar whose open filled it. */
  public record PositionOpened(String tradeId, Position position, Instant at) implements Event {}

  /**
   * @param pnl realized profit of the round trip after both fees
   * @param exit STOP, TAKE_PROFIT or SIGNAL (a CLOSE order)
   */
  public record PositionClosed(String tradeId, String closingOrderId, Position position, double exitPrice,
      double exitFee, double pnl, String exit, long barTime, Instant at) implements Event {}

  public record StopMoved(String symbol, double stop, double previous, String reason) implements Event {}

  /** The book's value at a bar time, with each position's mark; the next is due at {@code nextMarkTime}. */
  public record EquityMarked(long barTime, long nextMarkTime, double cash, double equity, double grossExposure, double realizedPnl,
      List<PositionMark> marks) implements Event {}

  public record PositionMark(String symbol, String strategyId, double quantity, double entryPrice, double mark,
      double unrealizedPnl) implements CborSerializable {}

  // -----

  public record Settings(double initialCapital, double feeRate, double slippage, Duration markInterval,
      Duration summaryInterval) {}

  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "paper-broker"));
  }

  /**
   * Hands the feed's batches to the broker; each completes when the broker has applied it (its
   * fills are in the journal), so the feed's backpressure covers the book too. A batch the broker
   * does not take within {@code timeout} (it is restarting, e.g. while the database is unreachable)
   * is offered again, every {@link #REOFFER_PAUSE} after a timeout, until it does: the book must see
   * every bar, in order, to mark its positions and work its stops, so the feed waits for it rather
   * than go on without it. A batch taken twice changes nothing the second time (a bar not newer than
   * the symbol's latest is ignored, and what a bar filled is in the book). Gives up only when the
   * actor system terminates.
   */
  public static com.quantumtrader.market.MarketFeed.Delivery delivery(ActorSystem<?> system, ActorRef<Command> broker,
      Duration timeout) {
    java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    Waiting waiting = new Waiting(org.slf4j.LoggerFactory.getLogger(PaperBroker.class), timeout);
    return b -> {
      java.util.concurrent.CompletableFuture<akka.Done> taken = new java.util.concurrent.CompletableFuture<>();
      offer(system, broker, timeout, b, seq.incrementAndGet(), taken, waiting);
      return taken;
    };
  }

  /** The pause before a batch the broker did not take is offered again. */
  static final Duration REOFFER_PAUSE = Duration.ofMillis(500);

  private static void offer(ActorSystem<?> system, ActorRef<Command> broker, Duration timeout, com.quantumtrader.market.BarBatcher.Batch b,
      long seq, java.util.concurrent.CompletableFuture<akka.Done> taken, Waiting waiting) {
    akka.actor.typed.javadsl.AskPattern.<Command, BarsApplied>ask(broker,
            rt -> new Bars(b.symbol(), b.interval(), b.openTime(), b.open(), b.high(), b.low(), b.close(), seq, rt), timeout,
            system.scheduler())
        .whenComplete((ok, err) -> {
          if (err == null) {
            waiting.taken();
            taken.complete(akka.Done.getInstance());
          } else if (system.getWhenTerminated().toCompletableFuture().isDone()) {
            taken.completeExceptionally(err);
          } else {
            Runnable again = () -> offer(system, broker, timeout, b, seq, taken, waiting);
            java.util.concurrent.CompletableFuture<Void> back = waiting.notTaken(b.symbol(), seq, err);
            if (back != null) {
              // another batch is probing: offered again once the broker takes bars again, not every few
              // seconds (each offer waits in the restarting broker; a minute of outage piled up hundreds)
              back.thenRun(again);
              return;
            }
            try {
              system.scheduler().scheduleOnce(REOFFER_PAUSE, again, system.executionContext());
            } catch (IllegalStateException terminating) {
              taken.completeExceptionally(err);
            }
          }
        });
  }

  /**
   * While the broker does not take bars, one batch (the first that timed out) probes it, offered
   * again every {@link #REOFFER_PAUSE} after a timeout; the others wait until it takes bars again.
   * Logs once when the broker stops taking bars, and once when it takes them again.
   */
  private static final class Waiting {
    private final Logger log;
    private final Duration timeout;
    private long since;
    private long prober = -1;
    private java.util.concurrent.CompletableFuture<Void> back = new java.util.concurrent.CompletableFuture<>();

    Waiting(Logger log, Duration timeout) {
      this.log = log;
      this.timeout = timeout;
    }

    /** Null when batch {@code seq} is to probe (offer again after the pause); else when to offer it again. */
    synchronized java.util.concurrent.CompletableFuture<Void> notTaken(String symbol, long seq, Throwable err) {
      if (since == 0) {
        since = System.currentTimeMillis();
        log.warn("paper-broker: did not take bars of {} within {} ms ({}); the market feed waits for it and offers them again"
                + " until it does (a restarting broker, e.g. while the database is unreachable)", symbol, timeout.toMillis(),
            err.getClass().getSimpleName());
      }
      if (prober == -1) prober = seq;
      return prober == seq ? null : back;
    }

    void taken() {
      java.util.concurrent.CompletableFuture<Void> waiters;
      long t;
      synchronized (this) {
        t = since;
        since = 0;
        prober = -1;
        waiters = back;
        back = new java.util.concurrent.CompletableFuture<>();
      }
      if (t != 0) {
        log.info("paper-broker: takes bars again after {} s; the market feed goes on", (System.currentTimeMillis() - t) / 1000);
      }
      waiters.complete(null);
    }
  }

  public static Behavior<Command> create(Settings settings) {
    return create(settings, PERSISTENCE_ID);
  }

  /** With another persistence id (tests run several books in one journal). */
  public static Behavior<Command> create(Settings settings, String persistenceId) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PaperBroker(ctx, timers, settings,
        PersistenceId.ofUniqueId(persistenceId))));
  }

  private final ActorContext<Command> ctx;
  private final akka.actor.typed.javadsl.TimerScheduler<Command> timers;
  private final Settings settings;
  private final ExchangeGateway gateway;
  private final EventBus bus;
  private final Logger log;
  private final long markMillis;
  /** Each symbol's last close: market data, rebuilt from the stream after a restart. */
  private final Map<String, Double> marks = new HashMap<>();
  /**
   * Each symbol's latest bar the book has certainly applied (its events written, or none to write):
   * an older or repeated bar is ignored, and an entry decided before it is stale. Noted once the
   * batch's events are written, so that a batch whose write failed is applied when offered again;
   * kept across a restart on a journal failure (this object outlives it), so that an entry held in
   * the stash meanwhile is judged against it.
   */
  private final Map<String, Long> appliedUpTo = new HashMap<>();
  private ActorRef<MarketUpdate> listener;

  private PaperBroker(ActorContext<Command> ctx, akka.actor.typed.javadsl.TimerScheduler<Command> timers, Settings settings,
      PersistenceId id) {
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.gateway = new PaperExchange(settings.feeRate(), settings.slippage());
    this.bus = EventBus.get(ctx.getSystem());
    this.log = ctx.getLog();
    this.markMillis = settings.markInterval().toMillis();
  }

  /** At most {@link com.quantumtrader.common.StashLimit#CAPACITY} commands held while recovering or persisting (see there). */
  @Override
  public java.util.Optional<Integer> stashCapacity() {
    return com.quantumtrader.common.StashLimit.capacity();
  }

  @Override
  public Portfolio emptyState() {
    return Portfolio.empty();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots keep recovery short; the events stay (they are the trade record analytics reads).
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  @Override
  public SignalHandler<Portfolio> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // here, not in the setup: a restart on a journal failure cancels the timers and does not run
          // the setup again (the summary stopped for good after the first database outage)
          timers.startTimerWithFixedDelay(SummaryTick.INSTANCE, settings.summaryInterval());
          if (!s.funded()) {
            log.info("paper-broker: a new book; {} of initial capital is deposited with its first bars or order",
                round(settings.initialCapital()));
          } else {
            log.info("paper-broker recovered: cash {}, {} open positions, {} working orders, realized PnL {}, {} fills",
                round(s.cash()), s.openPositions(), s.workingOrders().size(), round(s.realizedPnl()), s.fills());
          }
        })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Portfolio> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Bars.class, this::onBars)
        .onCommand(PlaceOrder.class, this::onPlaceOrder)
        .onCommand(MoveStop.class, this::onMoveStop)
        .onCommand(GetPortfolio.class, (s, c) -> Effect().reply(c.replyTo(), view(s)))
        .onCommand(RegisterListener.class, (s, c) -> {
          listener = c.listener();
          return Effect().noReply();
        })
        .onCommand(SummaryTick.class, (s, c) -> {
          if (s.funded()) logSummary(s);
          return Effect().noReply();
        })
        .build();
  }

  private List<Event> funding(Portfolio s) {
    List<Event> events = new ArrayList<>();
    if (!s.funded()) events.add(new CapitalDeposited(settings.initialCapital(), Instant.now()));
    return events;
  }

  private ReplyEffect<Event, Portfolio> onBars(Portfolio s, Bars c) {
    List<Event> events = funding(s);
    Portfolio book = s.funded() ? s : s.deposit(settings.initialCapital());
    long seen = appliedUpTo.getOrDefault(c.symbol(), Long.MIN_VALUE);
    for (int i = 0; i < c.openTime().length; i++) {
      long t = c.openTime()[i];
      if (t <= seen) continue;
      seen = t;
      for (Execution x : gateway.onBar(book, c.symbol(), t, c.open()[i], c.high()[i], c.low()[i], c.close()[i])) {
        Event e = toEvent(book, x);
        events.add(e);
        book = apply(book, e);
      }
      marks.put(c.symbol(), c.close()[i]);
      if (t >= book.nextMarkTime()) {
        // Marked at the first bar at or past the boundary; the other symbols' marks are their
        // latest closes.
        Event m = mark(book, t);
        events.add(m);
        book = apply(book, m);
      }
    }
    if (events.isEmpty()) {
      return Effect().none().thenRun(st -> {
        noteApplied(c);
        notifyListener(c, st);
      }).thenReply(c.ackTo(), st -> new BarsApplied(c.seq()));
    }
    return Effect().persist(events)
        .thenRun(st -> {
          noteApplied(c);
          for (Event e : events) publish(e);
          notifyListener(c, st);
        })
        .thenReply(c.ackTo(), st -> new BarsApplied(c.seq()));
  }

  private void noteApplied(Bars c) {
    if (c.openTime().length == 0) return;
    appliedUpTo.merge(c.symbol(), c.openTime()[c.openTime().length - 1], Math::max);
  }

  private Event mark(Portfolio book, long t) {
    List<PositionMark> pm = new ArrayList<>(book.positions().size());
    for (Position p : book.positions().values()) {
      double m = marks.getOrDefault(p.symbol(), p.entryPrice());
      pm.add(new PositionMark(p.symbol(), p.strategyId(), p.quantity(), p.entryPrice(), m, p.value(m) - p.value(p.entryPrice())));
    }
    return new EquityMarked(t, t - Math.floorMod(t, markMillis) + markMillis, book.cash(), book.equity(marks),
        book.grossExposure(marks), book.realizedPnl(), pm);
  }

  private Event toEvent(Portfolio book, Execution x) {
    Instant now = Instant.now();
    if (x.kind() == Execution.Kind.ENTRY) {
      Order o = book.workingOrders().get(x.orderId());
      Position p = new Position(o.symbol(), o.strategyId(), o.side(), o.quantity(), x.price(), x.fee(), o.stop(),
          o.takeProfit(), x.barTime(), o.orderId());
      return new PositionOpened(o.orderId() + "-in", p, now);
    }
    Position p = book.positions().get(x.symbol());
    Order closing = book.workingOrderFor(x.symbol());
    String closingId = x.exitKind() == null && closing != null ? closing.orderId() : null;
    double pnl = FillRules.pnl(p.side(), p.quantity(), new FillRules.Fill(p.entryPrice(), p.entryFee()), x.price(), x.fee());
    String exit = x.exitKind() == null ? "SIGNAL" : x.exitKind().name();
    return new PositionClosed(p.orderId() + "-out", closingId, p, x.price(), x.fee(), pnl, exit, x.barTime(), now);
  }

  private ReplyEffect<Event, Portfolio> onPlaceOrder(Portfolio s, PlaceOrder c) {
    Order o = c.order();
    String problem = o.problem();
    if (problem != null) return Effect().reply(c.replyTo(), new OrderRefused(o.orderId(), problem, Refusal.INVALID));
    if (s.workingOrders().containsKey(o.orderId())) problem = "order " + o.orderId() + " already exists";
    else if (s.workingOrderFor(o.symbol()) != null) problem = "an order for " + o.symbol() + " is already working";
    else if (o.intent() == Order.Intent.OPEN && s.positions().containsKey(o.symbol())) problem = "already holding " + o.symbol();
    else if (o.intent() == Order.Intent.CLOSE && !s.positions().containsKey(o.symbol())) problem = "no open position in " + o.symbol();
    if (problem != null) return Effect().reply(c.replyTo(), new OrderRefused(o.orderId(), problem, Refusal.REPEAT));
    Long seen = appliedUpTo.get(o.symbol());
    if (o.intent() == Order.Intent.OPEN && seen != null && seen > o.afterTime()) {
      // an exit still goes at the next bar: late is better than never
      return Effect().reply(c.replyTo(), new OrderRefused(o.orderId(), STALE + "the bar after its signal's bar ("
          + Instant.ofEpochMilli(o.afterTime()) + ") has passed; the book is at " + Instant.ofEpochMilli(seen), Refusal.STALE));
    }
    List<Event> events = funding(s);
    events.add(new OrderPlaced(o, Instant.now()));
    return Effect().persist(events).thenReply(c.replyTo(), st -> new OrderAccepted(o.orderId()));
  }

  private ReplyEffect<Event, Portfolio> onMoveStop(Portfolio s, MoveStop c) {
    Position p = s.positions().get(c.symbol());
    if (p == null) return Effect().reply(c.replyTo(), new OrderRefused(c.symbol(), "no open position in " + c.symbol(), Refusal.REPEAT));
    if (!(c.stop() > 0) || !Double.isFinite(c.stop())) {
      return Effect().reply(c.replyTo(), new OrderRefused(c.symbol(), "stop must be a positive price"));
    }
    boolean tighter = Double.isNaN(p.stop()) || (p.side() == Side.LONG ? c.stop() > p.stop() : c.stop() < p.stop());
    if (!tighter) {
      return Effect().reply(c.replyTo(), new OrderRefused(c.symbol(), "a stop is only ever tightened (now " + fmt(p.stop()) + ")"));
    }
    return Effect().persist(new StopMoved(c.symbol(), c.stop(), p.stop(), c.reason()))
        .thenReply(c.replyTo(), st -> new OrderAccepted(c.symbol()));
  }

  @Override
  public EventHandler<Portfolio, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(PaperBroker::apply);
  }

  static Portfolio apply(Portfolio s, Event e) {
    if (e instanceof CapitalDeposited d) return s.deposit(d.amount());
    if (e instanceof OrderPlaced p) return s.withOrder(p.order());
    if (e instanceof OrderCancelled c) return s.withoutOrder(c.orderId());
    if (e instanceof PositionOpened o) return s.opened(o.position());
    if (e instanceof PositionClosed c) return s.closed(c.position().symbol(), c.closingOrderId(), c.exitPrice(), c.exitFee(), c.pnl());
    if (e instanceof StopMoved m) return s.withStop(m.symbol(), m.stop());
    if (e instanceof EquityMarked m) return s.markedUntil(m.nextMarkTime());
    throw new IllegalStateException("unknown event " + e);
  }

  private void publish(Event e) {
    if (e instanceof PositionOpened o) {
      Position p = o.position();
      bus.publish(SOURCE, new TradeExecuted(o.tradeId(), p.orderId(), p.strategyId(), p.symbol(),
          p.side() == Side.LONG ? "BUY" : "SELL", p.quantity(), p.entryPrice(), p.entryFee(), Instant.ofEpochMilli(p.openedAt())));
      log.info("trade: {} {} {} {} at {} (fee {}), stop {}, strategy {}", o.tradeId(), p.side() == Side.LONG ? "BUY" : "SELL",
          fmt(p.quantity()), p.symbol(), fmt(p.entryPrice()), round(p.entryFee()), fmt(p.stop()), p.strategyId());
    } else if (e instanceof PositionClosed c) {
      Position p = c.position();
      bus.publish(SOURCE, new TradeExecuted(c.tradeId(), c.closingOrderId() != null ? c.closingOrderId() : p.orderId(),
          p.strategyId(), p.symbol(), PaperExchange.closingSide(p.side()), p.quantity(), c.exitPrice(), c.exitFee(),
          Instant.ofEpochMilli(c.barTime())));
      log.info("trade: {} {} {} {} at {} ({}), PnL {}, strategy {}", c.tradeId(), PaperExchange.closingSide(p.side()),
          fmt(p.quantity()), p.symbol(), fmt(c.exitPrice()), c.exit(), round(c.pnl()), p.strategyId());
    }
  }

  private void notifyListener(Bars c, Portfolio s) {
    if (listener == null) return;
    Map<String, String> holdings = new TreeMap<>();
    for (Position p : s.positions().values()) holdings.put(p.symbol(), p.strategyId());
    int opening = 0;
    double openingValue = 0;
    for (Order o : s.workingOrders().values()) {
      holdings.putIfAbsent(o.symbol(), o.strategyId());
      if (o.intent() == Order.Intent.OPEN) {
        opening++;
        Double m = marks.get(o.symbol());
        openingValue += m == null ? 0 : o.quantity() * m;
      }
    }
    listener.tell(new MarketUpdate(c.symbol(), c.interval(), c.openTime(), c.open(), c.high(), c.low(), c.close(),
        new BookSummary(s.equity(marks), s.openPositions() + opening, s.grossExposure(marks) + openingValue, holdings)));
  }

  private PortfolioView view(Portfolio s) {
    List<PositionView> ps = new ArrayList<>();
    double unrealized = 0;
    for (Position p : s.positions().values()) {
      double m = marks.getOrDefault(p.symbol(), p.entryPrice());
      double u = p.value(m) - p.value(p.entryPrice());
      unrealized += u;
      ps.add(new PositionView(p, m, u));
    }
    return new PortfolioView(gateway.name(), s.initialCapital(), s.cash(), s.equity(marks), s.realizedPnl(), unrealized,
        s.feesPaid(), s.grossExposure(marks), s.fills(), s.closedTrades(), ps, List.copyOf(s.workingOrders().values()));
  }

  private void logSummary(Portfolio s) {
    PortfolioView v = view(s);
    log.info("portfolio: equity {} ({}% since start), cash {}, {} open positions, gross exposure {}, realized PnL {}, "
            + "unrealized PnL {}, fees {}, {} fills, {} closed trades",
        round(v.equity()), String.format("%+.2f", 100 * (v.equity() / v.initialCapital() - 1)), round(v.cash()),
        v.positions().size(), round(v.grossExposure()), round(v.realizedPnl()), round(v.unrealizedPnl()), round(v.feesPaid()),
        v.fills(), v.closedTrades());
  }

  static String round(double x) {
    return String.format("%,.2f", x);
  }

  static String fmt(double x) {
    return Double.isNaN(x) ? "none" : String.format("%.6g", x);
  }
}
