package com.quantumtrader.execution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.Side;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The paper book as its journal left it: cash, open positions, working orders and running totals.
 * Immutable; the broker's event handler derives the next one. Money in doubles (quote currency).
 *
 * <p>Cash moves with every fill: a long entry pays quantity × price + fee, a long exit receives
 * quantity × price − fee (shorts the other way round). Cash may go negative when the policy's gross
 * exposure allows more than 1 × equity (margin). Equity = cash + the signed value of the positions
 * at their marks.
 *
 * @param funded whether the initial capital has been deposited
 * @param workingOrders orders not filled yet, at most one per symbol, by order id
 * @param nextMarkTime bar time at which the next equity mark is due
 */
public record Portfolio(
    boolean funded,
    double initialCapital,
    double cash,
    double realizedPnl,
    double feesPaid,
    long fills,
    long closedTrades,
    SortedMap<String, Position> positions,
    SortedMap<String, Order> workingOrders,
    long nextMarkTime,
    long orderSeq)
    implements CborSerializable {

  public Portfolio {
    positions = Collections.unmodifiableSortedMap(positions == null ? new TreeMap<>() : new TreeMap<>(positions));
    workingOrders = Collections.unmodifiableSortedMap(workingOrders == null ? new TreeMap<>() : new TreeMap<>(workingOrders));
  }

  public static Portfolio empty() {
    return new Portfolio(false, 0, 0, 0, 0, 0, 0, null, null, Long.MIN_VALUE, 0);
  }

  /** The working order for a symbol, or null. */
  public Order workingOrderFor(String symbol) {
    for (Order o : workingOrders.values()) if (o.symbol().equals(symbol)) return o;
    return null;
  }

  /** Equity with each position marked at {@code marks} (its entry price where no mark is known). */
  public double equity(Map<String, Double> marks) {
    double e = cash;
    for (Position p : positions.values()) e += p.value(marks.getOrDefault(p.symbol(), p.entryPrice()));
    return e;
  }

  public double grossExposure(Map<String, Double> marks) {
    double g = 0;
    for (Position p : positions.values()) g += Math.abs(p.value(marks.getOrDefault(p.symbol(), p.entryPrice())));
    return g;
  }

  @JsonIgnore
  public int openPositions() {
    return positions.size();
  }

  Portfolio deposit(double amount) {
    return new Portfolio(true, initialCapital + amount, cash + amount, realizedPnl, feesPaid, fills, closedTrades,
        positions, workingOrders, nextMarkTime, orderSeq);
  }

  Portfolio withOrder(Order o) {
    TreeMap<String, Order> w = new TreeMap<>(workingOrders);
    w.put(o.orderId(), o);
    return new Portfolio(funded, initialCapital, cash, realizedPnl, feesPaid, fills, closedTrades, positions, w,
        nextMarkTime, orderSeq + 1);
  }

  Portfolio withoutOrder(String orderId) {
    TreeMap<String, Order> w = new TreeMap<>(workingOrders);
    w.remove(orderId);
    return new Portfolio(funded, initialCapital, cash, realizedPnl, feesPaid, fills, closedTrades, positions, w,
        nextMarkTime, orderSeq);
  }

  Portfolio opened(Position p) {
    TreeMap<String, Position> ps = new TreeMap<>(positions);
    ps.put(p.symbol(), p);
    TreeMap<String, Order> w = new TreeMap<>(workingOrders);
    w.remove(p.orderId());
    double notional = p.quantity() * p.entryPrice();
    double c = p.side() == Side.LONG ? cash - notional - p.entryFee() : cash + notional - p.entryFee();
    return new Portfolio(funded, initialCapital, c, realizedPnl, feesPaid + p.entryFee(), fills + 1, closedTrades, ps, w,
        nextMarkTime, orderSeq);
  }

  Portfolio closed(String symbol, String closingOrderId, double price, double fee, double pnl) {
    Position p = positions.get(symbol);
    TreeMap<String, Position> ps = new TreeMap<>(positions);
    ps.remove(symbol);
    TreeMap<String, Order> w = new TreeMap<>(workingOrders);
    if (closingOrderId != null) w.remove(closingOrderId);
    double notional = p.quantity() * price;
    double c = p.side() == Side.LONG ? cash + notional - fee : cash - notional - fee;
    return new Portfolio(funded, initialCapital, c, realizedPnl + pnl, feesPaid + fee, fills + 1, closedTrades + 1, ps, w,
        nextMarkTime, orderSeq);
  }

  Portfolio withStop(String symbol, double stop) {
    TreeMap<String, Position> ps = new TreeMap<>(positions);
    ps.computeIfPresent(symbol, (s, p) -> p.withStop(stop));
    return new Portfolio(funded, initialCapital, cash, realizedPnl, feesPaid, fills, closedTrades, ps, workingOrders,
        nextMarkTime, orderSeq);
  }

  Portfolio markedUntil(long next) {
    return new Portfolio(funded, initialCapital, cash, realizedPnl, feesPaid, fills, closedTrades, positions, workingOrders,
        next, orderSeq);
  }
}
