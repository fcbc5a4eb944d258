package com.quantumtrader.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import com.quantumtrader.bus.Delivery;
import com.quantumtrader.bus.EventBus;
import com.quantumtrader.bus.EventType;
import com.quantumtrader.bus.OpportunitiesUpdated;
import com.quantumtrader.bus.PolicyUpdated;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.FillRules;
import com.quantumtrader.strategy.Side;
import com.quantumtrader.policy.GlobalPolicy;
import com.quantumtrader.policy.PolicyStore;
import com.quantumtrader.policy.RiskMode;
import com.quantumtrader.strategy.Backtester;
import com.quantumtrader.strategy.ShadowBook;
import com.quantumtrader.strategy.SignalEngine;
import com.quantumtrader.strategy.StrategyRegistry;
import com.quantumtrader.strategy.StrategySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns strategy signals into orders within the policy. It follows {@code policy.updated} (and
 * reads the policy at start) and {@code opportunities.updated}; the paper broker hands it every
 * batch of bars after applying it, with the book as it stands.
 *
 * <p>Every enabled strategy instance runs on every symbol (so that a symbol entering the top N is
 * already warmed up), but only signals of the batch's latest bar are acted on, entries only on a
 * top-ranked symbol: an entry goes through the mode's preset (DEFENSIVE opens nothing new) and the {@link
 * RiskGate} (allowed and not blocked, confidence, open positions, gross exposure, size by risk per
 * trade), an exit closes the strategy's own position (ranked or not). On a switch to a mode whose preset says so,
 * it tightens the stops of open positions. Every decision is logged and counted ({@link
 * GetStatus}). Its state is derived (indicators re-warm after a fail-over); orders live in the
 * broker's journal.
 */
public final class Orchestrator extends AbstractBehavior<Orchestrator.Command> {

  public static final String SOURCE = "orchestrator";

  /**
   * What a risk mode does to trading beyond its limits.
   *
   * @param openNew whether new positions may be opened
   * @param tightenStopAtr on entering the mode, move each open position's stop to this many ATRs
   *     below the last close when that is tighter (0: leave stops alone)
   */
  public record ModePreset(boolean openNew, double tightenStopAtr) implements CborSerializable {}

  /**
   * @param reportInterval how often the shadow books' track records go to the registry
   * @param orderReplyTimeout how long the broker's reply to an order is waited for; after that the
   *     order no longer counts as in flight (its reply was lost with a broker that restarted or moved),
   *     so that its symbol is not blocked for ever
   */
  public record Settings(List<StrategySpec> strategies, Map<RiskMode, ModePreset> presets, FillRules.Costs costs,
      Duration askTimeout, Duration reportInterval, Duration orderReplyTimeout) {
    public Settings(List<StrategySpec> strategies, Map<RiskMode, ModePreset> presets, FillRules.Costs costs, Duration askTimeout) {
      this(strategies, presets, costs, askTimeout, Duration.ofSeconds(60));
    }

    public Settings(List<StrategySpec> strategies, Map<RiskMode, ModePreset> presets, FillRules.Costs costs, Duration askTimeout,
        Duration reportInterval) {
      this(strategies, presets, costs, askTimeout, reportInterval, Duration.ofSeconds(30));
    }
  }

  public sealed interface Command extends CborSerializable {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param strategies the LIVE strategies
   * @param decisions decisions by outcome ("admitted", "refused: ...", "skipped: ...")
   * @param running every strategy whose engines run (LIVE, SHADOW, and others while they hold a
   *     position or have an entry ordered)
   */
  public record Status(RiskMode mode, long policyVersion, List<String> strategies, List<String> topSymbols,
      Map<String, Long> decisions, long ordersPlaced, long ordersRefusedByBroker, int symbolsTracked, List<String> running)
      implements CborSerializable {}

  private record Market(PaperBroker.MarketUpdate update) implements Command {}

  private record BusDelivery(Delivery delivery) implements Command {}

  private record PolicyLoaded(PolicyStore.PolicyView view, String error) implements Command {}

  private record BrokerReply(PaperBroker.OrderReply reply) implements Command {}

  private enum Register implements Command {
    INSTANCE
  }

  private record LiveLoaded(List<StrategyRegistry.StrategyInfo> live, List<StrategyRegistry.StrategyInfo> shadow, String error)
      implements Command {}

  private enum ReportTick implements Command {
    INSTANCE
  }


  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior, "orchestrator"));
  }

  public static Behavior<Command> create(Settings settings, ActorRef<PaperBroker.Command> broker,
      ActorRef<PolicyStore.Command> policyStore) {
    return create(settings, broker, policyStore, null);
  }

  /**
   * @param registry the strategy registry: only its LIVE strategies open positions (null: the
   *     configured strategies are all live)
   */
  public static Behavior<Command> create(Settings settings, ActorRef<PaperBroker.Command> broker,
      ActorRef<PolicyStore.Command> policyStore, ActorRef<StrategyRegistry.Command> registry) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Orchestrator(ctx, timers, settings, broker, policyStore, registry)));
  }

  private final Settings settings;
  private final ActorRef<PaperBroker.Command> broker;
  private final ActorRef<PaperBroker.MarketUpdate> marketAdapter;
  private final ActorRef<PaperBroker.OrderReply> replyAdapter;
  private final ActorRef<StrategyRegistry.Command> registry;
  /** Every strategy that runs (live now or live before, for its positions' exits), in a stable order. */
  private final List<StrategySpec> running = new ArrayList<>();
  /** Ids that may open positions. */
  private Set<String> liveIds;
  private long liveReadFailures, liveReadWarnedAt; // failed reads of the live strategies in a row; when the last WARN was
  /** Ids traded in shadow only. */
  private Set<String> shadowIds = Set.of();
  /**
   * Each LIVE and SHADOW strategy's own simulated book (registry only), by id: one per period (a
   * promotion or a new shadow period starts a new book, so a live record never counts shadow trades).
   */
  private final Map<String, ShadowBook> books = new HashMap<>();
  /** The period each book is for: its state (SHADOW or LIVE) and when the registry moved it there. */
  private final Map<String, String> bookPeriod = new HashMap<>();
  /** The same books by position in {@link #running} (null where a strategy has none), for the per-bar loop. */
  private ShadowBook[] bookAt = new ShadowBook[0];
  /** symbol → one engine per entry of {@link #running} (grown when a strategy is added). */
  private final Map<String, SignalEngine[]> engines = new HashMap<>();
  private final Map<String, Double> lastClose = new HashMap<>();
  private final Map<String, Long> decisions = new TreeMap<>();
  /** strategy|symbol → the last refusal's outcome (cleared when one is admitted). */
  private final Map<String, String> lastRefusal = new HashMap<>();
  /** Orders sent whose reply has not come: symbol → notional. */
  private final Map<String, Double> inFlight = new LinkedHashMap<>();
  /** The same orders by id: their symbol and when they were sent (a reply lost with a broker that restarted is not waited for for ever). */
  private final Map<String, Sent> inFlightByOrder = new HashMap<>();

  private record Sent(String symbol, long atNanos) {}
  private GlobalPolicy policy;
  private long policyVersion;
  private Set<String> top = Set.of();
  /** Whether a ranking has come (an empty one: no symbol passes the ranker's filters). */
  private boolean rankingSeen;
  private List<String> topOrdered = List.of();
  private Map<String, String> holdings = Map.of();
  private boolean bookSeen;
  /**
   * Entries ordered and not yet in the broker's book: symbol → the strategy, the bar it was ordered
   * on, the order, and whether the broker's reply has come. The broker sends a reply before the
   * market updates that follow it, so the first update of a later bar after the reply shows the
   * position if the entry filled; an update before the reply may come from a bar the broker applied
   * before it took the order.
   */
  private final Map<String, Entering> entering = new HashMap<>();

  private record Entering(String strategyId, long barTime, String orderId, boolean replied) {
    Entering withReply() {
      return new Entering(strategyId, barTime, orderId, true);
    }
  }
  private long ordersPlaced, brokerRefusals;

  private Orchestrator(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
      ActorRef<PaperBroker.Command> broker, ActorRef<PolicyStore.Command> policyStore,
      ActorRef<StrategyRegistry.Command> registry) {
    super(ctx);
    this.settings = settings;
    this.broker = broker;
    this.registry = registry;
    running.addAll(settings.strategies());
    // Until the registry answers, nothing opens (the configured list is live only without a registry).
    liveIds = registry == null ? ids(settings.strategies()) : Set.of();
    this.marketAdapter = ctx.messageAdapter(PaperBroker.MarketUpdate.class, Market::new);
    this.replyAdapter = ctx.messageAdapter(PaperBroker.OrderReply.class, BrokerReply::new);
    EventBus.get(ctx.getSystem()).subscribe(ctx, "orchestrator",
        Set.of(EventType.POLICY_UPDATED, EventType.OPPORTUNITIES_UPDATED, EventType.STRATEGY_PROMOTED),
        ctx.messageAdapter(Delivery.class, BusDelivery::new));
    if (policyStore != null) {
      ctx.ask(PolicyStore.PolicyView.class, policyStore, settings.askTimeout(), PolicyStore.Get::new,
          (v, err) -> new PolicyLoaded(v, err == null ? null : err.getMessage()));
    }
    // Registration is idempotent and repeated, so that a broker that moved or restarted finds us.
    broker.tell(new PaperBroker.RegisterListener(marketAdapter));
    // Registration and the live list are refreshed on a timer too: bus deliveries are at most once.
    timers.startTimerWithFixedDelay(Register.INSTANCE, Duration.ofSeconds(5));
    if (registry != null) timers.startTimerWithFixedDelay(ReportTick.INSTANCE, settings.reportInterval());
    loadLive();
    ctx.getLog().info("orchestrator started; strategies {} ({})", ids(settings.strategies()),
        registry == null ? "all live" : "the registry says which are live");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Market.class, m -> onMarket(m.update()))
        .onMessage(BusDelivery.class, this::onBus)
        .onMessage(PolicyLoaded.class, m -> {
          if (m.view() == null) {
            getContext().getLog().warn("orchestrator: could not read the policy ({}); opening nothing until policy.updated", m.error());
          } else if (policy == null || m.view().version() > policyVersion) {
            setPolicy(m.view().policy(), m.view().version());
          }
          return this;
        })
        .onMessage(BrokerReply.class, m -> {
          PaperBroker.OrderReply r = m.reply();
          String orderId = r instanceof PaperBroker.OrderAccepted a ? a.orderId() : ((PaperBroker.OrderRefused) r).orderId();
          Sent sent = inFlightByOrder.remove(orderId);
          String symbol = sent == null ? null : sent.symbol();
          if (symbol != null) inFlight.remove(symbol);
          Entering en = symbol == null ? null : entering.get(symbol);
          if (en != null && en.orderId().equals(orderId)) {
            if (r instanceof PaperBroker.OrderRefused) entering.remove(symbol);
            else entering.put(symbol, en.withReply());
          }
          if (r instanceof PaperBroker.OrderRefused f) {
            brokerRefusals++;
            // expected when the book runs ahead (after an outage, at full replay speed) or after a
            // restart (an order sent again): logged at INFO; a malformed order at WARN
            if (f.repeatOrLate()) getContext().getLog().info("orchestrator: broker refused {}: {}", f.orderId(), f.reason());
            else getContext().getLog().warn("orchestrator: broker refused {}: {}", f.orderId(), f.reason());
          }
          return this;
        })
        .onMessageEquals(Register.INSTANCE, () -> {
          forgetSilentOrders();
          broker.tell(new PaperBroker.RegisterListener(marketAdapter));
          loadLive();
          return this;
        })
        .onMessage(LiveLoaded.class, m -> {
          if (m.live() == null) {
            // at most a line a minute while it lasts (every 5 s through a database outage was 33 lines in 3 minutes)
            liveReadFailures++;
            long now = System.nanoTime();
            if (liveReadFailures == 1 || now - liveReadWarnedAt >= java.util.concurrent.TimeUnit.MINUTES.toNanos(1)) {
              getContext().getLog().warn("orchestrator: could not read the live strategies ({}); keeping {}{}", m.error(), liveIds,
                  liveReadFailures == 1 ? "" : " (" + liveReadFailures + " failed reads so far)");
              liveReadWarnedAt = now;
            }
          } else {
            if (liveReadFailures > 0) {
              getContext().getLog().info("orchestrator: read the live strategies again, after {} failed reads", liveReadFailures);
              liveReadFailures = 0;
            }
            setLive(m.live(), m.shadow());
          }
          return this;
        })
        .onMessageEquals(ReportTick.INSTANCE, () -> {
          ActorRef<StrategyRegistry.Reply> ignore = getContext().getSystem().ignoreRef();
          books.forEach((id, book) -> {
            StrategyRegistry.Book kind = liveIds.contains(id) ? StrategyRegistry.Book.LIVE
                : shadowIds.contains(id) ? StrategyRegistry.Book.SHADOW : null;
            if (kind != null && (book.trades() > 0 || book.holdsAnything())) {
              registry.tell(new StrategyRegistry.ReportTrackRecord(id, kind, book.record(), book.state(), ignore));
            }
          });
          return this;
        })
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(new Status(policy == null ? null : policy.riskMode(), policyVersion,
              running.stream().map(StrategySpec::id).filter(liveIds::contains).toList(), topOrdered, new TreeMap<>(decisions),
              ordersPlaced, brokerRefusals, engines.size(), running.stream().map(StrategySpec::id).toList()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onBus(BusDelivery m) {
    m.delivery().ack();
    Object p = m.delivery().event().payload();
    if (p instanceof PolicyUpdated u) {
      if (u.version() > policyVersion) setPolicy(u.policy(), u.version());
    } else if (p instanceof com.quantumtrader.bus.StrategyPromoted) {
      loadLive();
    } else if (p instanceof OpportunitiesUpdated o) {
      List<String> symbols = new ArrayList<>(o.top().size());
      for (OpportunitiesUpdated.Opportunity x : o.top()) symbols.add(x.symbol());
      topOrdered = List.copyOf(symbols);
      top = new HashSet<>(symbols);
      rankingSeen = true;
    }
    return this;
  }

  private void setPolicy(GlobalPolicy p, long version) {
    RiskMode before = policy == null ? null : policy.riskMode();
    policy = p;
    policyVersion = version;
    if (before != p.riskMode()) {
      ModePreset preset = preset(p.riskMode());
      getContext().getLog().info("orchestrator: risk mode {} (policy version {}): {}, min confidence {}, max risk per trade {}, "
              + "max {} positions, max gross exposure {}", p.riskMode(), version, preset.openNew() ? "opening allowed" : "opening nothing new",
          p.limits().minConfidence(), p.limits().maxRiskPerTrade(), p.limits().maxOpenPositions(), p.limits().maxGrossExposure());
      if (before != null && preset.tightenStopAtr() > 0) tightenStops(preset.tightenStopAtr());
    }
  }

  private ModePreset preset(RiskMode m) {
    return settings.presets().getOrDefault(m, new ModePreset(true, 0));
  }

  private void tightenStops(double atrs) {
    for (Map.Entry<String, String> h : holdings.entrySet()) {
      SignalEngine[] e = engines.get(h.getKey());
      Double close = lastClose.get(h.getKey());
      if (e == null || close == null) continue;
      // The ATR of the strategy that holds the position (its own period), else the first one's.
      int k = 0;
      for (int i = 0; i < running.size() && i < e.length; i++) if (running.get(i).id().equals(h.getValue())) k = i;
      if (e.length == 0 || !(e[k].atr() > 0)) continue;
      double stop = close - atrs * e[k].atr();
      if (stop <= 0) continue;
      count("stop tightened");
      broker.tell(new PaperBroker.MoveStop(h.getKey(), stop, "risk mode " + policy.riskMode() + ": stop at " + atrs + " ATR",
          replyAdapter));
    }
  }

  private Behavior<Command> onMarket(PaperBroker.MarketUpdate u) {
    if (!inFlightByOrder.isEmpty()) forgetSilentOrders();
    holdings = u.book().holdings();
    bookSeen = true;
    // an entry ordered on an earlier bar of this symbol has filled (then it is in the holdings) or not by now
    Entering en = entering.get(u.symbol());
    if (en != null && en.replied() && u.openTime().length > 0 && u.openTime()[u.openTime().length - 1] > en.barTime()) {
      entering.remove(u.symbol());
    }
    String symbol = u.symbol();
    SignalEngine[] es = engines.get(symbol);
    if (es == null || es.length < running.size()) {
      // New symbol, or strategies added since: existing engines keep their state.
      SignalEngine[] a = new SignalEngine[running.size()];
      for (int i = 0; i < a.length; i++) a[i] = es != null && i < es.length ? es[i] : running.get(i).newEngine();
      engines.put(symbol, a);
      es = a;
    }
    int n = u.openTime().length;
    if (n == 0) return this;
    // the shadow books take an entry as the risk gate would on its confidence: not before the policy is known
    double shadowMinConfidence = policy == null ? Double.POSITIVE_INFINITY : policy.limits().minConfidence();
    for (int b = 0; b < n; b++) {
      boolean latest = b == n - 1;
      for (int k = 0; k < es.length; k++) {
        int signal = es[k].onBar(u.open()[b], u.high()[b], u.low()[b], u.close()[b]);
        ShadowBook book = k < bookAt.length ? bookAt[k] : null;
        if (book != null) {
          book.onBar(symbol, u.openTime()[b], u.open()[b], u.high()[b], u.low()[b], u.close()[b], signal, es[k], shadowMinConfidence);
        }
        if (signal == SignalEngine.NONE) continue;
        if (!latest) {
          count("skipped: not the batch's latest bar");
          continue;
        }
        if (signal == SignalEngine.EXIT_LONG) {
          // Exits protect capital: acted on whether or not the symbol is still ranked or the strategy still live.
          exit(running.get(k), u, symbol);
          continue;
        }
        if (!liveIds.contains(running.get(k).id())) {
          count("skipped: strategy not live");
          continue;
        }
        if (!top.contains(symbol)) {
          count(top.isEmpty() ? (rankingSeen ? "skipped: no symbol passes the ranker's filters" : "skipped: no ranking yet")
              : "skipped: not in the top " + top.size());
          continue;
        }
        enter(running.get(k), es[k], u, symbol);
      }
    }
    lastClose.put(symbol, u.close()[n - 1]);
    return this;
  }

  private void enter(StrategySpec strategy, SignalEngine e, PaperBroker.MarketUpdate u, String symbol) {
    long t = u.openTime()[u.openTime().length - 1];
    double close = u.close()[u.close().length - 1];
    String what = String.format("ENTER %s %s confidence %.2f at %.6g stop %.6g", strategy.id(), symbol, e.confidence(), close, e.stop());
    if (policy == null) {
      refuse(strategy.id(), symbol, "refused: no policy yet", what);
      return;
    }
    if (!preset(policy.riskMode()).openNew()) {
      refuse(strategy.id(), symbol, "refused: risk mode " + policy.riskMode() + " opens nothing new", what);
      return;
    }
    if (holdings.containsKey(symbol) || inFlight.containsKey(symbol)) {
      count("skipped: symbol already held or ordered");
      return;
    }
    PaperBroker.BookSummary book = u.book();
    double pending = 0;
    for (double v : inFlight.values()) pending += v;
    RiskGate.Admission a = RiskGate.admit(new RiskGate.Signal(strategy.id(), symbol, Side.LONG, e.confidence(), close, e.stop()),
        policy, new RiskGate.Book(book.equity(), book.openPositions() + inFlight.size(), book.grossExposure() + pending, false),
        settings.costs());
    if (!a.admitted()) {
      refuse(strategy.id(), symbol, "refused: " + category(a.reason()), what + ": " + a.reason());
      return;
    }
    lastRefusal.remove(strategy.id() + "|" + symbol);
    String orderId = strategy.id() + "|" + symbol + "|" + t;
    double tp = e.takeProfit();
    Order o = new Order(orderId, strategy.id(), symbol, Side.LONG, Order.Intent.OPEN, a.quantity(), e.stop(), tp, t, e.confidence(),
        policyVersion, a.reason());
    inFlight.put(symbol, a.quantity() * close);
    inFlightByOrder.put(orderId, new Sent(symbol, System.nanoTime()));
    entering.put(symbol, new Entering(strategy.id(), t, orderId, false));
    ordersPlaced++;
    broker.tell(new PaperBroker.PlaceOrder(o, replyAdapter));
    decide("admitted", String.format("%s: BUY %.6g (%s, risk at stop %.2f, policy v%d %s)", what, a.quantity(), a.reason(),
        a.riskAtStop(), policyVersion, policy.riskMode()));
  }

  private void exit(StrategySpec strategy, PaperBroker.MarketUpdate u, String symbol) {
    if (!strategy.id().equals(holdings.get(symbol)) || inFlight.containsKey(symbol)) return; // not this strategy's position
    long t = u.openTime()[u.openTime().length - 1];
    String orderId = strategy.id() + "|" + symbol + "|" + t + "|exit";
    Order o = new Order(orderId, strategy.id(), symbol, Side.LONG, Order.Intent.CLOSE, 0, Double.NaN, Double.NaN, t, 0, policyVersion,
        "exit signal");
    inFlight.put(symbol, 0.0);
    inFlightByOrder.put(orderId, new Sent(symbol, System.nanoTime()));
    ordersPlaced++;
    broker.tell(new PaperBroker.PlaceOrder(o, replyAdapter));
    decide("exit", "EXIT " + strategy.id() + " " + symbol + ": close the position at the next open");
  }

  /**
   * Orders whose reply has not come within {@link Settings#orderReplyTimeout()} (lost with a broker that
   * restarted or moved) stop counting as in flight, so that their symbol is not blocked for ever; the
   * broker refuses a second entry on a symbol it holds or has an order working for, and the next
   * market update shows what it did with the first.
   */
  private void forgetSilentOrders() {
    long now = System.nanoTime();
    var it = inFlightByOrder.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Sent> e = it.next();
      if (now - e.getValue().atNanos() < settings.orderReplyTimeout().toNanos()) continue;
      it.remove();
      String symbol = e.getValue().symbol();
      inFlight.remove(symbol);
      Entering en = entering.get(symbol);
      if (en != null && en.orderId().equals(e.getKey())) entering.put(symbol, en.withReply());
      count("orders without a reply in time");
      getContext().getLog().warn("orchestrator: no reply to order {} in {}; {} no longer counts it as in flight", e.getKey(),
          settings.orderReplyTimeout(), symbol);
    }
  }

  private void loadLive() {
    if (registry == null) return;
    getContext().ask(StrategyRegistry.Strategies.class, registry, settings.askTimeout(),
        rt -> new StrategyRegistry.ListStrategies(null, rt),
        (l, err) -> {
          if (l == null) return new LiveLoaded(null, null, err == null ? "no answer" : err.getMessage());
          List<StrategyRegistry.StrategyInfo> live = new ArrayList<>(), shadow = new ArrayList<>();
          for (StrategyRegistry.StrategyInfo i : l.strategies()) {
            if (i.state() == StrategyRegistry.Lifecycle.LIVE) live.add(i);
            if (i.state() == StrategyRegistry.Lifecycle.SHADOW) shadow.add(i);
          }
          return new LiveLoaded(live, shadow, null);
        });
  }

  /**
   * The registry's LIVE and SHADOW strategies: which may open, and their books. A strategy new to this
   * orchestrator joins {@link #running}; one whose registered spec differs from the one running (a
   * configured id whose parameters were edited: the registry keeps the spec it judged) runs the
   * registered spec from now on, with new engines. A book is kept while its strategy stays in the
   * same period; a new period gets a new book, resumed from the registry's figures when the registry
   * already has some for that period (this orchestrator restarted or moved); a strategy neither LIVE
   * nor SHADOW has none.
   */
  private void setLive(List<StrategyRegistry.StrategyInfo> live, List<StrategyRegistry.StrategyInfo> shadow) {
    Set<String> before = liveIds, shadowBefore = shadowIds;
    List<StrategyRegistry.StrategyInfo> all = new ArrayList<>(live);
    all.addAll(shadow);
    Set<String> current = new java.util.HashSet<>();
    for (StrategyRegistry.StrategyInfo info : all) {
      StrategySpec spec = info.spec();
      current.add(spec.id());
      int k = indexOf(spec.id());
      if (k < 0) {
        running.add(spec);
      } else if (!sameSpec(running.get(k), spec)) {
        getContext().getLog().warn("orchestrator: strategy {} runs its registered spec {} {}, not {} {} (register changed parameters"
            + " under a new id)", spec.id(), spec.template(), java.util.Arrays.toString(spec.params()), running.get(k).template(),
            java.util.Arrays.toString(running.get(k).params()));
        running.set(k, spec);
        for (SignalEngine[] es : engines.values()) if (k < es.length) es[k] = spec.newEngine();
      }
      String period = info.state() + "@" + info.since();
      if (!period.equals(bookPeriod.get(spec.id()))) {
        books.put(spec.id(), info.book() != null ? ShadowBook.resume(shadowConfig(), info.book()) : new ShadowBook(shadowConfig()));
        bookPeriod.put(spec.id(), period);
      }
    }
    books.keySet().retainAll(current);
    bookPeriod.keySet().retainAll(current);
    // A strategy neither LIVE nor SHADOW stops running once it holds nothing and has no entry ordered
    // (a demoted one runs on for its positions' exit signals); known only once the broker's book has
    // been seen
    if (bookSeen) {
      for (int k = running.size() - 1; k >= 0; k--) {
        String id = running.get(k).id();
        if (current.contains(id) || holdings.containsValue(id) || entering.values().stream().anyMatch(x -> x.strategyId().equals(id))) {
          continue;
        }
        running.remove(k);
        for (Map.Entry<String, SignalEngine[]> e : engines.entrySet()) {
          SignalEngine[] es = e.getValue();
          if (k >= es.length) continue;
          SignalEngine[] shorter = new SignalEngine[es.length - 1];
          System.arraycopy(es, 0, shorter, 0, k);
          System.arraycopy(es, k + 1, shorter, k, es.length - k - 1);
          e.setValue(shorter);
        }
        getContext().getLog().info("orchestrator: {} stops running (neither live nor in shadow, and it holds nothing)", id);
      }
    }
    ShadowBook[] at = new ShadowBook[running.size()];
    for (int i = 0; i < at.length; i++) at[i] = books.get(running.get(i).id());
    bookAt = at;
    liveIds = ids(live.stream().map(StrategyRegistry.StrategyInfo::spec).toList());
    shadowIds = ids(shadow.stream().map(StrategyRegistry.StrategyInfo::spec).toList());
    if (!liveIds.equals(before) || !shadowIds.equals(shadowBefore)) {
      getContext().getLog().info("orchestrator: live strategies {}, in shadow {}", liveIds, shadowIds);
    }
  }

  private int indexOf(String id) {
    for (int i = 0; i < running.size(); i++) if (running.get(i).id().equals(id)) return i;
    return -1;
  }

  private static boolean sameSpec(StrategySpec a, StrategySpec b) {
    return a.template() == b.template() && java.util.Arrays.equals(a.params(), b.params());
  }

  /** A shadow book's capital and costs: the paper book's costs, 1 % risk per trade on 100,000. */
  private Backtester.Config shadowConfig() {
    return new Backtester.Config(100_000, settings.costs(),
        Backtester.Sizing.risk(0.01, 1.0, 1000), true);
  }

  private static Set<String> ids(List<StrategySpec> specs) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (StrategySpec s : specs) out.add(s.id());
    return out;
  }

  /** A refusal's kind, for counting (the log line has the full reason). */
  static String category(String reason) {
    if (reason.contains("blocked") || reason.contains("allow list")) return "strategy or symbol not permitted";
    if (reason.startsWith("confidence")) return "confidence below the minimum";
    if (reason.startsWith("open positions")) return "open positions at the limit";
    if (reason.startsWith("gross exposure")) return "gross exposure at the limit";
    if (reason.startsWith("already holding")) return "symbol already held";
    return reason;
  }

  private void decide(String outcome, String detail) {
    count(outcome);
    getContext().getLog().info("decision: {} — {}", outcome, detail);
  }

  /**
   * A refusal: counted always; logged at INFO when it differs from this strategy's last refusal on
   * the symbol (a breakout refused for exposure on ten bars in a row is one line, then DEBUG).
   */
  private void refuse(String strategyId, String symbol, String outcome, String detail) {
    String key = strategyId + "|" + symbol;
    if (outcome.equals(lastRefusal.put(key, outcome))) {
      count(outcome);
      getContext().getLog().debug("decision: {} — {}", outcome, detail);
    } else {
      decide(outcome, detail);
    }
  }

  private void count(String key) {
    decisions.merge(key, 1L, Long::sum);
  }
}
