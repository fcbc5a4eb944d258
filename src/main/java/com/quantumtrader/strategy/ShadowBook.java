package com.quantumtrader.strategy;

import com.quantumtrader.common.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One strategy's own simulated book, fed live bar by bar: its signals traded with no capital at
 * stake, with the same fill rules and order as the paper broker and the backtester (a signal on bar
 * t fills at t+1's open; stop before take-profit on each bar's range; gaps at the open; fees and
 * slippage), sized by risk per trade on the book's own equity. It yields the {@link TrackRecord} the
 * registry's lifecycle rules judge: a SHADOW strategy's record before promotion, and a LIVE one's
 * for decay (the shared paper book mixes strategies and is limited by the policy, so a strategy's
 * own book is the fair measure of its signals). Pure; long only, like the templates.
 */
public final class ShadowBook {
  private final Backtester.Config config;
  private final Map<String, Slot> slots = new HashMap<>();
  private double realized;
  private double peak, maxDrawdown;
  private int trades, wins;
  private double grossWin, grossLoss;
  private long firstBar = Long.MIN_VALUE, lastBar;
  // Daily returns of the marked equity (Welford's running mean and sum of squared deviations): the
  // Sharpe's sample. day: the UTC day (epoch days) of the latest bar; dayOpen: the marked equity that
  // day began with, 0 before the first bar; dailyFrom: the day the returns start from.
  private long day, dailyFrom;
  private double dayOpen;
  private int dailyReturns;
  private double dailyMean, dailyM2;

  /** One symbol: a working order and/or a position. */
  private static final class Slot {
    int pending; // 0 none, 1 enter, 2 exit
    double pendingQty, pendingStop, pendingTp, pendingNotional;
    double qty, entry, entryFee, stop, tp;
    double mark; // the position's latest price (its fill, then each close)
  }

  // The open positions: their PnL at the marks (entry fees paid), their notional at the marks, and
  // the notional of the entries ordered and not filled yet; all zero while nothing is open.
  private double openPnl, gross, ordered;
  private int open;

  /**
   * @param config the book's capital, costs and sizing; its {@code minConfidence} is not used: the
   *     minimum is the policy's of the moment, given with each bar ({@link #onBar})
   */
  public ShadowBook(Backtester.Config config) {
    this.config = config;
    this.peak = config.initialEquity();
  }

  /**
   * A book's figures: what it reports with its record, and what a book is resumed from when the
   * orchestrator that kept it restarts or moves. {@code positions} are its open simulated positions
   * and working orders, and {@code openPnl}, {@code gross} and {@code ordered} their running sums
   * (kept as they are, so that a resumed book computes the same doubles as the one it was taken
   * from); an event journaled before they existed reads as a flat book. {@code day}, {@code dayOpen},
   * {@code dailyFrom}, {@code dailyReturns}, {@code dailyMean} and {@code dailyM2} are the daily returns so far (see
   * {@link #record()}); an event journaled before them reads as none, so a resumed book counts its
   * daily returns from its resumption.
   */
  public record State(int trades, int wins, double realized, double peak, double maxDrawdown, double grossWin,
      double grossLoss, long firstBar, long lastBar, List<Position> positions,
      double openPnl, double gross, double ordered, long day, long dailyFrom, double dayOpen, int dailyReturns,
      double dailyMean, double dailyM2) implements CborSerializable {
    public State {
      positions = positions == null ? List.of() : List.copyOf(positions);
    }

    /** The closed-trade figures of a flat book. */
    public State(int trades, int wins, double realized, double peak, double maxDrawdown, double grossWin,
        double grossLoss, long firstBar, long lastBar) {
      this(trades, wins, realized, peak, maxDrawdown, grossWin, grossLoss, firstBar, lastBar, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Whether {@code other} holds the same positions and orders (symbols, sides of the order, quantities); marks aside. */
    public boolean samePositions(State other) {
      if (other == null || positions.size() != other.positions.size()) return false;
      for (int i = 0; i < positions.size(); i++) {
        Position a = positions.get(i), b = other.positions.get(i);
        if (!a.symbol().equals(b.symbol()) || a.pending() != b.pending() || a.qty() != b.qty() || a.pendingQty() != b.pendingQty()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * One symbol's open simulated position and/or working order. {@code pending}: 0 none, 1 an entry
   * ordered (to fill at the next bar's open), 2 an exit ordered.
   */
  public record Position(String symbol, int pending, double pendingQty, double pendingStop, double pendingTp,
      double pendingNotional, double qty, double entry, double entryFee, double stop, double tp, double mark)
      implements CborSerializable {}

  /** The figures so far, with the open positions and orders by symbol. */
  public State state() {
    List<Position> positions = new ArrayList<>();
    for (Map.Entry<String, Slot> e : new TreeMap<>(slots).entrySet()) {
      Slot s = e.getValue();
      if (s.qty > 0 || s.pending != 0) {
        positions.add(new Position(e.getKey(), s.pending, s.pendingQty, s.pendingStop, s.pendingTp, s.pendingNotional,
            s.qty, s.entry, s.entryFee, s.stop, s.tp, s.mark));
      }
    }
    return new State(trades, wins, realized, peak, maxDrawdown, grossWin, grossLoss, firstBar, lastBar,
        positions, openPnl, gross, ordered, day, dailyFrom, dayOpen, dailyReturns, dailyMean, dailyM2);
  }

  /**
   * A book that goes on from {@code state}: its closed trades, and its open positions and working
   * orders, each of which fills, exits and is marked on the symbol's next bar as it would have been.
   */
  public static ShadowBook resume(Backtester.Config config, State state) {
    ShadowBook b = new ShadowBook(config);
    b.trades = state.trades();
    b.wins = state.wins();
    b.realized = state.realized();
    b.peak = state.peak();
    b.maxDrawdown = state.maxDrawdown();
    b.grossWin = state.grossWin();
    b.grossLoss = state.grossLoss();
    b.day = state.day();
    b.dailyFrom = state.dailyFrom();
    b.dayOpen = state.dayOpen();
    b.dailyReturns = state.dailyReturns();
    b.dailyMean = state.dailyMean();
    b.dailyM2 = state.dailyM2();
    b.firstBar = state.firstBar();
    b.lastBar = state.lastBar();
    for (Position p : state.positions()) {
      Slot s = new Slot();
      s.pending = p.pending();
      s.pendingQty = p.pendingQty();
      s.pendingStop = p.pendingStop();
      s.pendingTp = p.pendingTp();
      s.pendingNotional = p.pendingNotional();
      s.qty = p.qty();
      s.entry = p.entry();
      s.entryFee = p.entryFee();
      s.stop = p.stop();
      s.tp = p.tp();
      s.mark = p.mark();
      b.slots.put(p.symbol(), s);
      if (s.qty > 0) b.open++;
    }
    b.openPnl = state.openPnl();
    b.gross = state.gross();
    b.ordered = state.ordered();
    return b;
  }

  /** Whether the book holds a position or has an order working on any symbol. */
  public boolean holdsAnything() {
    return open > 0 || slots.values().stream().anyMatch(s -> s.pending != 0);
  }

  /** Equity counting closed trades only. */
  public double equity() {
    return config.initialEquity() + realized;
  }

  /** Equity with the open positions marked at their latest closes. */
  public double markedEquity() {
    return equity() + openPnl;
  }

  /**
   * Feeds one bar of {@code symbol} and the signal the strategy's engine gave on it; an entry whose
   * confidence is below {@code minConfidence} (the policy's at that bar) is not taken, as the risk
   * gate would refuse it.
   */
  public void onBar(String symbol, long t, double o, double h, double l, double c, int signal, SignalEngine engine,
      double minConfidence) {
    newDay(Math.floorDiv(t, DAY_MS));
    if (firstBar == Long.MIN_VALUE) firstBar = t;
    lastBar = Math.max(lastBar, t);
    Slot s = slots.computeIfAbsent(symbol, k -> new Slot());
    double fee = config.costs().feeRate(), slip = config.costs().slippage();
    if (s.pending == 2 && s.qty > 0) {
      FillRules.Fill f = FillRules.marketExit(Side.LONG, s.qty, o, slip, fee);
      close(s, f.price(), f.fee());
    } else if (s.pending == 1 && s.qty == 0) {
      FillRules.Fill f = FillRules.marketEntry(Side.LONG, s.pendingQty, o, slip, fee);
      s.qty = s.pendingQty;
      s.entry = f.price();
      s.entryFee = f.fee();
      s.stop = s.pendingStop;
      s.tp = s.pendingTp;
      s.mark = f.price();
      openPnl -= s.entryFee;
      gross += s.qty * s.mark;
      open++;
    }
    if (s.pending == 1) ordered -= s.pendingNotional;
    s.pending = 0;
    if (s.qty > 0) {
      FillRules.Exit x = FillRules.checkExit(Side.LONG, s.qty, s.stop, s.tp, o, h, l, slip, fee);
      if (x != null) close(s, x.price(), x.fee());
    }
    if (s.qty > 0) {
      openPnl += s.qty * (c - s.mark);
      gross += s.qty * (c - s.mark);
      s.mark = c;
    }
    if (open == 0) openPnl = gross = 0; // no drift left behind
    double marked = markedEquity();
    peak = Math.max(peak, marked);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - marked) / peak);
    if (signal == SignalEngine.ENTER_LONG && s.qty == 0 && engine.confidence() >= minConfidence && c > 0 && engine.stop() > 0
        && engine.stop() < c) {
      // Sized as the risk gate sizes: on the marked equity, with the exposure of the open positions
      // and of the entries already ordered on other symbols
      double loss = PositionSizing.lossPerUnit(Side.LONG, c, engine.stop(), fee, slip);
      double fill = PositionSizing.entryFill(Side.LONG, c, slip);
      double byRisk = PositionSizing.byRisk(config.sizing().riskPerTrade(), marked, loss);
      double byRoom = PositionSizing.byExposure(config.sizing().maxGrossExposure(), marked, gross + ordered, fill, fee);
      double q = PositionSizing.quantity(byRisk, byRoom);
      if (q > 0 && !PositionSizing.sliverOfRoom(byRisk, byRoom, fill, marked)) {
        s.pending = 1;
        s.pendingQty = q;
        s.pendingStop = engine.stop();
        s.pendingTp = engine.takeProfit();
        s.pendingNotional = q * c;
        ordered += s.pendingNotional;
      }
    } else if (signal == SignalEngine.EXIT_LONG && s.qty > 0) {
      s.pending = 2;
    }
  }

  private void close(Slot s, double price, double exitFee) {
    openPnl -= s.qty * (s.mark - s.entry) - s.entryFee;
    gross -= s.qty * s.mark;
    open--;
    double pnl = FillRules.pnl(Side.LONG, s.qty, new FillRules.Fill(s.entry, s.entryFee), price, exitFee);
    realized += pnl;
    trades++;
    if (pnl > 0) {
      wins++;
      grossWin += pnl;
    } else {
      grossLoss -= pnl;
    }
    s.qty = 0;
  }

  private static final long DAY_MS = 86_400_000L;

  /**
   * A bar of UTC day {@code d}: on the first bar of a new day, the day before ends, its return is the
   * marked equity now (every symbol marked at its latest close of that day) over the marked equity it
   * began with. A gap of several days (a weekend of stock bars) is one return.
   */
  private void newDay(long d) {
    if (!(dayOpen > 0)) { // the first bar (or of a book resumed from figures journaled without daily returns)
      dayOpen = markedEquity();
      day = d;
      dailyFrom = d;
    } else if (d > day) {
      double eq = markedEquity(), r = eq / dayOpen - 1;
      dailyReturns++;
      double delta = r - dailyMean;
      dailyMean += delta / dailyReturns;
      dailyM2 += delta * (r - dailyMean);
      dayOpen = eq;
      day = d;
    }
  }

  /**
   * The record so far: closed trades, days covered, total return of the marked equity, Sharpe of the daily returns of the
   * marked equity (days without a position count, at 0), annualized by the days observed a year (about
   * 365 for crypto, 252 for stocks), with the sample standard deviation as analytics computes the
   * fund's; NaN below two whole days or when the returns do not vary. (A Sharpe of per-trade returns
   * was tried first: two stop-outs of nearly the same size gave -23,448.) Max drawdown of the equity
   * marked at each bar's close (so an open position's loss counts before it is closed), profit factor
   * (NaN without a loss).
   */
  public TrackRecord record() {
    double days = firstBar == Long.MIN_VALUE ? 0 : (lastBar - firstBar) / 86_400_000.0;
    double sharpe = Double.NaN;
    if (dailyReturns >= 2) {
      double var = dailyM2 / (dailyReturns - 1);
      // the returns over the calendar days they span: 365 a year for a market open every day, 252 for stocks
      double perYear = dailyReturns / ((day - dailyFrom) / 365.25);
      if (var > 0) sharpe = dailyMean / Math.sqrt(var) * Math.sqrt(perYear);
    }
    double pf = grossLoss > 0 ? grossWin / grossLoss : Double.NaN;
    // the marked equity, as the Sharpe and the drawdown: an open position's gain or loss is in the return too
    return new TrackRecord(trades, days, (markedEquity() - config.initialEquity()) / config.initialEquity(), sharpe, maxDrawdown, pf);
  }

  /** Whether the book holds {@code symbol} or has an order for it working. */
  boolean busy(String symbol) {
    Slot s = slots.get(symbol);
    return s != null && (s.qty > 0 || s.pending != 0);
  }

  public int trades() {
    return trades;
  }

  public int wins() {
    return wins;
  }
}
