package com.quantumtrader.strategy;

import com.quantumtrader.analytics.Metrics;
import com.quantumtrader.strategy.BacktestResult.ExitKind;
import com.quantumtrader.strategy.BacktestResult.Summary;
import com.quantumtrader.strategy.BacktestResult.Trade;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a strategy over history with the live system's own pieces: the signal engine from {@link
 * StrategySpec#newEngine()} — its rule with indicator values from the view's shared {@link
 * SeriesCache} ({@link AbstractEngine#signals}; the same signals, stops and take-profits as feeding it
 * {@code onBar(open, high, low, close)} bar by bar as the orchestrator does, which
 * {@code SignalSeriesTest} checks) — the paper broker's {@link FillRules} in the paper broker's order,
 * and the risk gate's {@link PositionSizing}. Long only. Pure and deterministic: same input, same
 * result, bit for bit.
 *
 * <p>Per bar, in this order (the paper exchange's):
 *
 * <ol>
 *   <li>an exit ordered on an earlier bar (after an {@link SignalEngine#EXIT_LONG}) fills at this open
 *       ({@link FillRules#marketExit}), and nothing else happens to the position on this bar;
 *   <li>otherwise an entry ordered on an earlier bar fills at this open ({@link FillRules#marketEntry});
 *   <li>the open position — including one opened at this open — is checked against this bar's range
 *       ({@link FillRules#checkExit}: stop first, then take-profit; a gap fills at the open);
 *   <li>the engine sees the bar; an entry signal while flat is sized (equity marked at this close,
 *       entry reference = this close, stop = the engine's) and becomes an order for the next open; an
 *       exit signal while long becomes an exit order for the next open; other signals are ignored;
 *   <li>equity is marked at the close.
 * </ol>
 *
 * Every fill pays {@code feeRate} × notional. An order placed on the last bar never fills; a position
 * open after the last bar stays open (marked in the equity curve, not in the trade list).
 *
 * <p>Hot path: the loop allocates nothing per bar (fills allocate per trade), jumps over the bars
 * where it is flat and no signal comes, runs the bars of an open position up to the next signal in a
 * short inner loop (a mark per bar until the stop or take-profit is touched), and the metrics are
 * computed from reused buffers. An instance holds those buffers, so it is <b>not
 * thread-safe</b>: use one per thread. {@link #metrics} is the fast path for a search (no equity copy,
 * no trade records); {@link #run} returns everything; both run the same loop and give the same numbers.
 */
public final class Backtester {

  /**
   * How an entry is sized. With {@code fixedQuantity} > 0 every entry buys that many units (for
   * comparisons with frameworks that trade a fixed amount); otherwise like the risk gate: the loss to
   * the stop at most {@code riskPerTrade} × equity and gross exposure at most {@code maxGrossExposure}
   * × equity. {@code maxOpenPositions} limits a {@link #portfolio} run.
   */
  public record Sizing(double riskPerTrade, double maxGrossExposure, int maxOpenPositions, double fixedQuantity) {
    public Sizing {
      if (!(fixedQuantity > 0) && !(riskPerTrade > 0 && maxGrossExposure > 0)) {
        throw new IllegalArgumentException("sizing needs a fixed quantity or a positive risk per trade and exposure");
      }
      if (maxOpenPositions < 1) throw new IllegalArgumentException("max open positions must be >= 1");
    }

    /** Risk a fraction of equity per trade, exposure up to {@code maxGrossExposure} × equity. */
    public static Sizing risk(double riskPerTrade, double maxGrossExposure, int maxOpenPositions) {
      return new Sizing(riskPerTrade, maxGrossExposure, maxOpenPositions, 0);
    }

    public static Sizing fixed(double quantity) {
      return new Sizing(0, 0, Integer.MAX_VALUE, quantity);
    }
  }

  /**
   * @param protectiveExits whether the engine's stop and take-profit are placed (true in every real
   *     run; false only to compare with tools that cannot fill inside a bar)
   * @param minConfidence an entry whose confidence is below this is not taken, as the live risk gate
   *     refuses it under a policy with this minimum (0 takes every entry signal), in [0, 1]
   */
  public record Config(double initialEquity, FillRules.Costs costs, Sizing sizing, boolean protectiveExits, double minConfidence) {
    public Config {
      if (!(initialEquity > 0) || !Double.isFinite(initialEquity)) throw new IllegalArgumentException("initial equity must be > 0");
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("min confidence must be in [0, 1], got " + com.quantumtrader.common.Numbers.typed(minConfidence));
      }
    }

    /** Every entry signal taken, whatever its confidence (for comparisons with tools that have none). */
    public Config(double initialEquity, FillRules.Costs costs, Sizing sizing, boolean protectiveExits) {
      this(initialEquity, costs, sizing, protectiveExits, 0);
    }

    /** The NORMAL policy's minimum confidence, which {@link #defaults()} applies as the risk gate would. */
    public static final double NORMAL_MIN_CONFIDENCE = 0.65;

    /**
     * 10,000 of equity, 0.1 % fee, 0.05 % slippage, 1 % risk per trade, exposure up to 1× equity, 5
     * positions, entries below the NORMAL policy's minimum confidence (0.65) not taken.
     */
    public static Config defaults() {
      return new Config(10_000, new FillRules.Costs(0.001, 0.0005), Sizing.risk(0.01, 1.0, 5), true, NORMAL_MIN_CONFIDENCE);
    }

    /** This configuration with another minimum confidence. */
    public Config withMinConfidence(double min) {
      return new Config(initialEquity, costs, sizing, protectiveExits, min);
    }
  }

  private final Config config;
  private final double feeRate, slippage;

  // Reused buffers (grown, never shrunk): the equity curve, returns, exposure flags (portfolio), the
  // signals and the trade log.
  private double[] equity = new double[0], returns = new double[0];
  private boolean[] inMarket = new boolean[0];
  private int trades;
  private int[] tEntryBar = new int[16], tExitBar = new int[16], tSymbol = new int[16];
  private double[] tEntryPrice = new double[16], tExitPrice = new double[16], tQty = new double[16], tFees = new double[16],
      tExitFee = new double[16], tPnl = new double[16];
  private byte[] tKind = new byte[16];
  private double[] tStop = new double[16], tTakeProfit = new double[16]; // the levels placed at entry (NaN: none)
  private final SignalTape tape = new SignalTape();
  private static final ExitKind[] KINDS = ExitKind.values();

  public Backtester(Config config) {
    this.config = config;
    this.feeRate = config.costs().feeRate();
    this.slippage = config.costs().slippage();
    tape.gate(config.minConfidence());
  }

  public Config config() {
    return config;
  }

  /** The full result of {@code spec} over all of {@code bars}. */
  public BacktestResult run(StrategySpec spec, BarArrays bars) {
    return run(spec, bars, 0);
  }

  /**
   * The full result of {@code spec} over {@code bars}, the first {@code tradeFrom} bars only warming
   * the engine up (no orders, not in the equity curve): for an out-of-sample window whose indicators
   * start from the preceding history.
   */
  public BacktestResult run(StrategySpec spec, BarArrays bars, int tradeFrom) {
    checkTradeFrom(bars, tradeFrom);
    signals(spec, bars);
    return result(spec.id(), bars, tradeFrom, simulate(bars, tradeFrom, true));
  }

  /** With a given engine (tests script signals with one), fed bar by bar through {@link SignalEngine#onBar}. */
  BacktestResult run(String strategyId, SignalEngine engine, BarArrays bars, int tradeFrom) {
    checkTradeFrom(bars, tradeFrom);
    tape.record(engine, bars);
    return result(strategyId, bars, tradeFrom, simulate(bars, tradeFrom, true));
  }

  private BacktestResult result(String strategyId, BarArrays bars, int tradeFrom, int n) {
    Summary m = summary(n, barsPerYear(bars, tradeFrom), Metrics.exposure(barsInMarket, n), days(bars, tradeFrom));
    List<Trade> list = new ArrayList<>(trades);
    int base = bars.from + tradeFrom;
    for (int k = 0; k < trades; k++) {
      list.add(new Trade(bars.symbol, tEntryBar[k], bars.openTime[base + tEntryBar[k]], tEntryPrice[k], tExitBar[k],
          bars.openTime[base + tExitBar[k]], tExitPrice[k], tQty[k], tFees[k], tPnl[k], KINDS[tKind[k]], tStop[k], tTakeProfit[k]));
    }
    List<BacktestResult.OpenPosition> open = List.of();
    if (openAtEnd) {
      double last = bars.close[base + n - 1];
      open = List.of(new BacktestResult.OpenPosition(bars.symbol, openEntryBar, bars.openTime[base + openEntryBar], openEntryPrice,
          openQty, openEntryFee, last, openQty * (last - openEntryPrice) - openEntryFee));
    }
    return new BacktestResult(strategyId, bars.symbol, List.copyOf(list), Arrays.copyOfRange(bars.openTime, base, base + n),
        Arrays.copyOf(equity, n), open, m);
  }

  /** The metrics only: the same loop and numbers as {@link #run}, without copying the curve or building trades. */
  public Summary metrics(StrategySpec spec, BarArrays bars) {
    return metrics(spec, bars, 0);
  }

  /** {@link #metrics(StrategySpec, BarArrays)} with warm-up-only bars, as in {@link #run(StrategySpec, BarArrays, int)}. */
  public Summary metrics(StrategySpec spec, BarArrays bars, int tradeFrom) {
    checkTradeFrom(bars, tradeFrom);
    signals(spec, bars);
    pnlOnly = true;
    int n;
    try {
      n = simulate(bars, tradeFrom, false);
    } finally {
      pnlOnly = false;
    }
    return summary(n, barsPerYear(bars, tradeFrom), Metrics.exposure(barsInMarket, n), days(bars, tradeFrom));
  }

  /**
   * The daily profit and loss of {@code spec} over {@code bars}, marked to market at each UTC day's
   * last bar ({@link #dayEnds}): the loop of {@link #metrics} (no curve copied, no trade objects), each
   * day's change of equity rebuilt from the trade log and the closes, each fee on its fill's day.
   * What a desk correlates to tell two strategies apart.
   */
  public double[] dailyPnl(StrategySpec spec, BarArrays bars, int[] dayEnds) {
    signals(spec, bars);
    int n = simulate(bars, 0, false);
    double[] pnl = new double[dayEnds.length];
    for (int k = 0; k < trades; k++) {
      mark(pnl, dayEnds, bars, tEntryBar[k], tExitBar[k], tEntryPrice[k], tExitPrice[k], tQty[k], tFees[k] - tExitFee[k], tExitFee[k]);
    }
    if (openAtEnd) mark(pnl, dayEnds, bars, openEntryBar, n - 1, openEntryPrice, bars.close(n - 1), openQty, openEntryFee, 0);
    return pnl;
  }

  /** One position's part of the daily P&L: its value at each day's end it is held over, then at its exit. */
  private static void mark(double[] pnl, int[] dayEnds, BarArrays b, int entryBar, int exitBar, double entryPrice, double exitPrice,
      double qty, double entryFee, double exitFee) {
    int d = dayOf(dayEnds, entryBar), last = dayOf(dayEnds, exitBar);
    double value = qty * entryPrice;
    pnl[d] -= entryFee;
    pnl[last] -= exitFee;
    for (; d < last; d++) {
      double v = qty * b.close(dayEnds[d]);
      pnl[d] += v - value;
      value = v;
    }
    pnl[last] += qty * exitPrice - value;
  }

  private static int dayOf(int[] dayEnds, int bar) {
    int i = Arrays.binarySearch(dayEnds, bar);
    return i >= 0 ? i : -i - 1;
  }

  /** The index of each UTC day's last bar in {@code bars}. */
  public static int[] dayEnds(BarArrays bars) {
    int n = bars.size(), k = 0;
    int[] ends = new int[n];
    for (int i = 1; i <= n; i++) {
      if (i == n || Math.floorDiv(bars.openTime(i), DAY) != Math.floorDiv(bars.openTime(i - 1), DAY)) ends[k++] = i - 1;
    }
    return Arrays.copyOf(ends, k);
  }

  private static final long DAY = 86_400_000L;

  /** The template's signals over the view into the tape, from the view's shared indicator series. */
  private void signals(StrategySpec spec, BarArrays bars) {
    ((AbstractEngine) spec.newEngine()).signals(bars, bars.series, tape);
  }

  private static void checkTradeFrom(BarArrays b, int tradeFrom) {
    if (tradeFrom < 0 || tradeFrom > b.size()) throw new IndexOutOfBoundsException("tradeFrom " + tradeFrom + " of " + b.size());
  }

  private boolean openAtEnd;
  // the position open after the last bar, when openAtEnd (primitives: the entry's Fill is not kept)
  private double openQty, openEntryPrice, openEntryFee;
  private int openEntryBar;
  private int barsInMarket, curvePoints;
  /** While {@link #metrics} runs: the trade log keeps each trade's profit only. */
  private boolean pnlOnly;

  /**
   * The loop over the signals in the tape; leaves the curve and trade log in the buffers, the bars in
   * the market in {@link #barsInMarket}, and returns the number of bars traded. While flat with
   * nothing ordered a bar changes nothing but the curve (equity = cash), so the loop jumps from there
   * to the next signal. With {@code fullCurve} the buffer gets every bar's equity; without, only the
   * points where it moved (consecutive equal values dropped; their number in {@link #curvePoints}),
   * which is all {@link Metrics#curveStats(double[], int, int, double[], double)} needs.
   */
  private int simulate(BarArrays b, int tradeFrom, boolean fullCurve) {
    final double[] O = b.open, H = b.high, L = b.low, C = b.close;
    final SignalTape t = tape;
    final int start = b.from + tradeFrom, n = b.size() - tradeFrom;
    ensureBars(n);
    final double[] eq = equity;
    final double fee = feeRate, slip = slippage;
    final boolean protective = config.protectiveExits();
    final Sizing sizing = config.sizing();
    final double fixedQty = sizing.fixedQuantity();
    trades = 0;

    int ev = 0; // the next signal on the tape, as a bar of the traded range
    while (ev < t.size && t.bar[ev] < tradeFrom) ev++;
    int nextSignalAt = ev < t.size ? t.bar[ev] - tradeFrom : n;
    double cash = config.initialEquity(), qty = 0, stop = Double.NaN, tp = Double.NaN;
    boolean inPos = false, pendingEntry = false, pendingExit = false;
    double pendingQty = 0, pendingStop = Double.NaN, pendingTp = Double.NaN;
    double entryPrice = 0, entryFee = 0; // the open position's entry fill (primitives: no Fill kept across bars)
    int entryBar = -1, inMarket = 0, points = 0;
    double lastPoint = Double.NaN;
    for (int k = 0; k < n; k++) {
      if (!inPos && !pendingEntry && k < nextSignalAt) {
        if (fullCurve) {
          Arrays.fill(eq, k, nextSignalAt, cash);
        } else if (points == 0 || !Metrics.unmoved(lastPoint, cash)) {
          eq[points++] = lastPoint = cash;
        }
        k = nextSignalAt - 1;
        continue;
      }
      final int i = start + k;
      int signal = SignalEngine.NONE, at = -1;
      if (k == nextSignalAt) {
        at = ev++;
        signal = t.signal[at];
        nextSignalAt = ev < t.size ? t.bar[ev] - tradeFrom : n;
      }
      final double o = O[i];
      if (pendingExit) {
        pendingExit = false;
        FillRules.Fill f = FillRules.marketExit(Side.LONG, qty, o, slip, fee);
        cash += qty * f.price() - f.fee();
        log(0, entryBar, k, entryPrice, entryFee, f.price(), f.fee(), qty, ExitKind.SIGNAL, stop, tp);
        inPos = false;
      } else if (pendingEntry) {
        pendingEntry = false;
        FillRules.Fill entry = FillRules.marketEntry(Side.LONG, pendingQty, o, slip, fee);
        entryPrice = entry.price();
        entryFee = entry.fee();
        qty = pendingQty;
        cash -= qty * entryPrice + entryFee;
        stop = pendingStop;
        tp = pendingTp;
        entryBar = k;
        inPos = true;
      }
      if (inPos) {
        inMarket++;
        if (protective) {
          FillRules.Exit x = FillRules.checkExit(Side.LONG, qty, stop, tp, o, H[i], L[i], slip, fee);
          if (x != null) {
            cash += qty * x.price() - x.fee();
            log(0, entryBar, k, entryPrice, entryFee, x.price(), x.fee(), qty, x.kind() == FillRules.ExitKind.STOP ? ExitKind.STOP : ExitKind.TAKE_PROFIT,
                stop, tp);
            inPos = false;
          }
        }
      }
      final double c = C[i];
      final double marked = inPos ? cash + qty * c : cash;
      if (fullCurve) {
        eq[k] = marked;
      } else if (points == 0 || !Metrics.unmoved(lastPoint, marked)) {
        eq[points++] = lastPoint = marked;
      }
      if (signal == SignalEngine.ENTER_LONG) {
        if (!inPos && t.admitted[at]) {
          double s = t.stop[at];
          double q = fixedQty > 0 ? fixedQty : riskSize(c, s, marked, 0);
          if (q > 0) {
            pendingEntry = true;
            pendingQty = q;
            pendingStop = protective ? s : Double.NaN;
            pendingTp = protective ? t.takeProfit[at] : Double.NaN;
          }
        }
      } else if (signal == SignalEngine.EXIT_LONG && inPos) {
        pendingExit = true;
      }
      if (inPos && !pendingExit) {
        // The bars up to the next signal while the position stays open: nothing is ordered, so a bar
        // only marks the position, unless it touches the stop or the take-profit (FillRules.checkExit
        // is null exactly when neither `low <= stop` nor `high >= takeProfit`; NaN levels never
        // touch); that bar, and the next signal's, go round the loop above.
        final double st = stop, target = tp;
        while (k + 1 < nextSignalAt) {
          final int j = start + k + 1;
          if (L[j] <= st || H[j] >= target) break;
          k++;
          inMarket++;
          final double mark = cash + qty * C[j];
          if (fullCurve) {
            eq[k] = mark;
          } else if (!Metrics.unmoved(lastPoint, mark)) {
            eq[points++] = lastPoint = mark;
          }
        }
      }
    }
    openAtEnd = inPos;
    if (inPos) {
      openQty = qty;
      openEntryPrice = entryPrice;
      openEntryFee = entryFee;
      openEntryBar = entryBar;
    }
    barsInMarket = inMarket;
    curvePoints = fullCurve ? n : points;
    return n;
  }

  /**
   * {@code spec} on several symbols sharing one equity: one engine per symbol, bars aligned by open
   * time on the union of all symbols' times (a symbol without a bar at a time step is simply not
   * touched). Per time step: first every symbol's fills, in the order of {@link #run} (pending exit,
   * else pending entry, then stop / take-profit), symbols in list order; then every engine sees its
   * bar; equity is marked at the closes (a symbol's latest close); then the signals are acted on:
   * exits, then entries by their engine's {@link SignalEngine#confidence() confidence}, highest first
   * (equal confidences in list order), each sized on the shared marked equity exactly as the risk gate
   * sizes it, with the gross exposure of the open positions (marked) and of the entries already
   * ordered, and refused once {@code maxOpenPositions} positions are open or ordered: when the room
   * or the slots cannot take every entry of a step, the most confident get them. A symbol whose bars end
   * before the run's last time step has its position closed at its last close ({@link
   * ExitKind#END_OF_DATA}), so that it does not hold equity and exposure to the end. Trade bar indices are
   * time-step indices; the equity curve has one point per time step; Sharpe and Sortino are
   * annualized with the observed time steps per year.
   */
  public BacktestResult portfolio(StrategySpec spec, List<BarArrays> symbols) {
    return portfolio(spec, symbols, Long.MIN_VALUE);
  }

  /**
   * {@link #portfolio(StrategySpec, List)} with the time steps before {@code tradeFrom} (epoch ms) only
   * warming the engines up: every symbol's engine sees its bars there, but nothing is ordered and they
   * are not in the equity curve (a portfolio's out-of-sample window, as {@link #run(StrategySpec,
   * BarArrays, int)} for one symbol). Trade bar indices count from the first traded time step.
   */
  public BacktestResult portfolio(StrategySpec spec, List<BarArrays> symbols, long tradeFrom) {
    int m = symbols.size();
    if (m == 0) throw new IllegalArgumentException("no symbols");
    long[] all = timeline(symbols);
    SignalEngine[] engines = new SignalEngine[m];
    int[] ptr = new int[m], entryBar = new int[m], signal = new int[m], ranked = new int[m];
    double[] qty = new double[m], stop = new double[m], tp = new double[m], lastClose = new double[m];
    double[] pendingQty = new double[m], pendingStop = new double[m], pendingTp = new double[m];
    boolean[] inPos = new boolean[m], pendingEntry = new boolean[m], pendingExit = new boolean[m], has = new boolean[m];
    FillRules.Fill[] entry = new FillRules.Fill[m];
    for (int s = 0; s < m; s++) engines[s] = spec.newEngine();
    int warm = 0;
    for (; warm < all.length && all[warm] < tradeFrom; warm++) {
      for (int s = 0; s < m; s++) {
        BarArrays b = symbols.get(s);
        if (ptr[s] < b.size() && b.openTime(ptr[s]) == all[warm]) {
          int i = ptr[s]++;
          engines[s].onBar(b.open(i), b.high(i), b.low(i), b.close(i));
          lastClose[s] = b.close(i);
        }
      }
    }
    long[] times = warm == 0 ? all : Arrays.copyOfRange(all, warm, all.length);
    int n = times.length;
    ensureBars(n);
    trades = 0;
    final boolean protective = config.protectiveExits();
    final Sizing sizing = config.sizing();
    double cash = config.initialEquity();
    for (int k = 0; k < n; k++) {
      long t = times[k];
      boolean any = false;
      for (int s = 0; s < m; s++) {
        BarArrays b = symbols.get(s);
        has[s] = ptr[s] < b.size() && b.openTime(ptr[s]) == t;
        if (!has[s]) continue;
        double o = b.open(ptr[s]);
        if (pendingExit[s]) {
          pendingExit[s] = false;
          FillRules.Fill f = FillRules.marketExit(Side.LONG, qty[s], o, slippage, feeRate);
          cash += qty[s] * f.price() - f.fee();
          log(s, entryBar[s], k, entry[s].price(), entry[s].fee(), f.price(), f.fee(), qty[s], ExitKind.SIGNAL, stop[s], tp[s]);
          inPos[s] = false;
        } else if (pendingEntry[s]) {
          pendingEntry[s] = false;
          entry[s] = FillRules.marketEntry(Side.LONG, pendingQty[s], o, slippage, feeRate);
          qty[s] = pendingQty[s];
          cash -= qty[s] * entry[s].price() + entry[s].fee();
          stop[s] = pendingStop[s];
          tp[s] = pendingTp[s];
          entryBar[s] = k;
          inPos[s] = true;
        }
        any |= inPos[s];
        if (inPos[s] && protective) {
          FillRules.Exit x = FillRules.checkExit(Side.LONG, qty[s], stop[s], tp[s], o, b.high(ptr[s]), b.low(ptr[s]), slippage, feeRate);
          if (x != null) {
            cash += qty[s] * x.price() - x.fee();
            log(s, entryBar[s], k, entry[s].price(), entry[s].fee(), x.price(), x.fee(), qty[s],
                x.kind() == FillRules.ExitKind.STOP ? ExitKind.STOP : ExitKind.TAKE_PROFIT, stop[s], tp[s]);
            inPos[s] = false;
          }
        }
      }
      double gross = 0, ordered = 0; // the open positions' exposure (marked), and the entries' ordered and not filled
      int open = 0;
      for (int s = 0; s < m; s++) {
        if (!has[s] && inPos[s]) any = true; // held, its symbol without a bar at this step
        if (has[s]) {
          BarArrays b = symbols.get(s);
          int i = ptr[s]++;
          signal[s] = engines[s].onBar(b.open(i), b.high(i), b.low(i), b.close(i));
          lastClose[s] = b.close(i);
          if (ptr[s] == b.size() && k < n - 1) {
            // its data ends here and the run goes on: closed at this close, nothing new ordered
            signal[s] = SignalEngine.NONE;
            pendingExit[s] = false;
            if (inPos[s]) {
              FillRules.Fill f = FillRules.marketExit(Side.LONG, qty[s], lastClose[s], slippage, feeRate);
              cash += qty[s] * f.price() - f.fee();
              log(s, entryBar[s], k, entry[s].price(), entry[s].fee(), f.price(), f.fee(), qty[s], ExitKind.END_OF_DATA, stop[s], tp[s]);
              inPos[s] = false;
            }
          }
        } else {
          signal[s] = SignalEngine.NONE;
        }
        if (inPos[s]) {
          gross += qty[s] * lastClose[s];
          open++;
        }
        if (pendingEntry[s]) { // ordered on an earlier step, not filled yet (its symbol had no bar): its slot and its room
          open++;
          ordered += pendingQty[s] * lastClose[s];
        }
      }
      inMarket[k] = any;
      double marked = cash + gross;
      equity[k] = marked;
      int entries = 0;
      for (int s = 0; s < m; s++) {
        if (signal[s] == SignalEngine.EXIT_LONG && inPos[s]) {
          pendingExit[s] = true;
        } else if (signal[s] == SignalEngine.ENTER_LONG && !inPos[s] && !pendingEntry[s]
            && engines[s].confidence() >= config.minConfidence()) { // below it, refused as the risk gate does: no slot taken
          // the step's entries by confidence, highest first, ties in list order (insertion sort: a few per step)
          double cf = engines[s].confidence();
          int j = entries++;
          while (j > 0 && engines[ranked[j - 1]].confidence() < cf) {
            ranked[j] = ranked[j - 1];
            j--;
          }
          ranked[j] = s;
        }
      }
      for (int r = 0; r < entries && open < sizing.maxOpenPositions(); r++) {
        int s = ranked[r];
        double st = engines[s].stop(), c = lastClose[s];
        double q = sizing.fixedQuantity() > 0 ? sizing.fixedQuantity() : riskSize(c, st, marked, gross + ordered);
        if (q > 0) {
          pendingEntry[s] = true;
          pendingQty[s] = q;
          pendingStop[s] = protective ? st : Double.NaN;
          pendingTp[s] = protective ? engines[s].takeProfit() : Double.NaN;
          ordered += q * c;
          open++;
        }
      }
    }
    List<BacktestResult.OpenPosition> open = new ArrayList<>();
    for (int s = 0; s < m; s++) {
      if (!inPos[s]) continue;
      open.add(new BacktestResult.OpenPosition(symbols.get(s).symbol, entryBar[s], times[entryBar[s]], entry[s].price(), qty[s],
          entry[s].fee(), lastClose[s], qty[s] * (lastClose[s] - entry[s].price()) - entry[s].fee()));
    }
    open.sort(java.util.Comparator.comparing(BacktestResult.OpenPosition::symbol));
    double perYear = n < 2 ? Double.NaN : (n - 1) / ((times[n - 1] - times[0]) / (365.25 * 24 * 3600 * 1000.0));
    curvePoints = n;
    Summary sum = summary(n, perYear, Metrics.exposure(inMarket, n), n < 2 ? 0 : (times[n - 1] - times[0]) / DAY_MS);
    List<Trade> list = new ArrayList<>(trades);
    for (int k = 0; k < trades; k++) {
      list.add(new Trade(symbols.get(tSymbol[k]).symbol, tEntryBar[k], times[tEntryBar[k]], tEntryPrice[k], tExitBar[k],
          times[tExitBar[k]], tExitPrice[k], tQty[k], tFees[k], tPnl[k], KINDS[tKind[k]], tStop[k], tTakeProfit[k]));
    }
    String names = String.join(",", symbols.stream().map(b -> b.symbol).toList());
    return new BacktestResult(spec.id(), names, List.copyOf(list), times, Arrays.copyOf(equity, n), List.copyOf(open), sum);
  }

  /** The sorted union of the symbols' open times. */
  private static long[] timeline(List<BarArrays> symbols) {
    int total = 0;
    for (BarArrays b : symbols) total += b.size();
    long[] all = new long[total];
    int j = 0;
    for (BarArrays b : symbols) {
      System.arraycopy(b.openTime, b.from, all, j, b.size());
      j += b.size();
    }
    Arrays.sort(all);
    int u = 0;
    for (int i = 0; i < total; i++) if (u == 0 || all[i] != all[u - 1]) all[u++] = all[i];
    return Arrays.copyOf(all, u);
  }

  /** The risk gate's size for an entry near {@code close} with this stop; 0 when nothing fits. */
  private double riskSize(double close, double stop, double equity, double grossExposure) {
    if (!(close - stop > 0) || !(stop > 0) || !(equity > 0)) return 0;
    Sizing s = config.sizing();
    double loss = PositionSizing.lossPerUnit(Side.LONG, close, stop, feeRate, slippage);
    double fill = PositionSizing.entryFill(Side.LONG, close, slippage);
    double byRisk = PositionSizing.byRisk(s.riskPerTrade(), equity, loss);
    double byRoom = PositionSizing.byExposure(s.maxGrossExposure(), equity, grossExposure, fill, feeRate);
    double q = PositionSizing.quantity(byRisk, byRoom);
    return q > 0 && !PositionSizing.sliverOfRoom(byRisk, byRoom, fill, equity) ? q : 0;
  }

  /**
   * Appends a closed trade to the log. With {@link #pnlOnly} (the metrics path) only its profit is
   * kept, which is all the metrics read; each array grows when it is full.
   */
  private void log(int symbol, int entryBar, int exitBar, double entryPrice, double entryFee, double exitPrice, double exitFee,
      double qty, ExitKind kind, double stop, double takeProfit) {
    int k = trades++;
    if (k == tPnl.length) tPnl = Arrays.copyOf(tPnl, k * 2);
    tPnl[k] = FillRules.pnl(Side.LONG, qty, entryPrice, entryFee, exitPrice, exitFee);
    if (pnlOnly) return;
    if (k == tEntryBar.length) {
      int cap = k * 2;
      tEntryBar = Arrays.copyOf(tEntryBar, cap);
      tExitBar = Arrays.copyOf(tExitBar, cap);
      tSymbol = Arrays.copyOf(tSymbol, cap);
      tEntryPrice = Arrays.copyOf(tEntryPrice, cap);
      tExitPrice = Arrays.copyOf(tExitPrice, cap);
      tQty = Arrays.copyOf(tQty, cap);
      tFees = Arrays.copyOf(tFees, cap);
      tExitFee = Arrays.copyOf(tExitFee, cap);
      tKind = Arrays.copyOf(tKind, cap);
      tStop = Arrays.copyOf(tStop, cap);
      tTakeProfit = Arrays.copyOf(tTakeProfit, cap);
    }
    tSymbol[k] = symbol;
    tEntryBar[k] = entryBar;
    tExitBar[k] = exitBar;
    tEntryPrice[k] = entryPrice;
    tExitPrice[k] = exitPrice;
    tQty[k] = qty;
    tFees[k] = entryFee + exitFee;
    tExitFee[k] = exitFee;
    tKind[k] = (byte) kind.ordinal();
    tStop[k] = stop;
    tTakeProfit[k] = takeProfit;
  }

  private void ensureBars(int n) {
    if (equity.length < n) {
      equity = new double[n];
      returns = new double[n];
      inMarket = new boolean[n];
    }
  }

  private static double barsPerYear(BarArrays b, int tradeFrom) {
    return b.slice(tradeFrom, b.size()).barsPerYear();
  }

  private static final double DAY_MS = 86_400_000.0;

  /** The days from the first traded bar's open to the last one's. */
  private static double days(BarArrays b, int tradeFrom) {
    int first = b.from + tradeFrom, last = b.from + b.size() - 1;
    return last > first ? (b.openTime[last] - b.openTime[first]) / DAY_MS : 0;
  }

  private Summary summary(int n, double perYear, double exposure, double days) {
    Metrics.CurveStats c = Metrics.curveStats(equity, curvePoints, n, returns, perYear);
    return new Summary(c.totalReturn(), c.sharpe(), c.sortino(), c.maxDrawdown(), Metrics.winRate(tPnl, trades), Metrics.profitFactor(tPnl, trades),
        exposure, trades, n == 0 ? config.initialEquity() : equity[curvePoints - 1], days);
  }
}
