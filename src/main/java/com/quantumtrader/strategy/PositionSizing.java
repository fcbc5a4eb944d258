package com.quantumtrader.strategy;

/**
 * The sizing arithmetic of a stop-protected entry, shared by the live risk gate ({@code
 * execution.RiskGate}) and the backtester so that both size a trade with one formula. Pure; doubles.
 *
 * <p>The size is the largest that keeps both the worst-case loss at the stop (entry and stop filled
 * worse by the slippage, fees on both notionals) within {@code maxRisk × equity}, and the gross
 * exposure after the trade, with the entry's fee, within {@code maxGross × equity}; then a hair under that bound, so that
 * rounding never lands a size just past a limit.
 */
public final class PositionSizing {
  private PositionSizing() {}

  /** The assumed entry fill: {@code entry} moved against the trader by the slippage. */
  public static double entryFill(Side side, double entry, double slippage) {
    return side == Side.LONG ? entry * (1 + slippage) : entry * (1 - slippage);
  }

  /** Worst-case loss per unit if the stop is hit, fees and slippage on both sides included. */
  public static double lossPerUnit(Side side, double entry, double stop, double feeRate, double slippage) {
    double fillIn = entryFill(side, entry, slippage);
    double fillOut = side == Side.LONG ? stop * (1 - slippage) : stop * (1 + slippage);
    return Math.abs(fillIn - fillOut) + feeRate * (fillIn + fillOut);
  }

  /** The quantity the risk budget allows: {@code maxRisk × equity / lossPerUnit}. */
  public static double byRisk(double maxRisk, double equity, double lossPerUnit) {
    return maxRisk * equity / lossPerUnit;
  }

  /**
   * The quantity the exposure room allows at this entry fill with its fee paid out of the same room;
   * 0 without room. With the fee inside the room, a long book at {@code maxGross = 1} keeps its cash
   * at or above 0 (a next open that gaps above the assumed fill can still take it a little below).
   */
  public static double byExposure(double maxGross, double equity, double grossExposure, double entryFill, double feeRate) {
    double room = maxGross * equity - grossExposure;
    return room > 0 ? room / (entryFill * (1 + feeRate)) : 0;
  }

  /**
   * The smallest position worth opening on the exposure room left, as a fraction of equity: below it
   * (a sliver of room) an entry only takes a position slot and pays fees.
   */
  public static final double MIN_POSITION = 0.001;

  /**
   * Whether the size is a sliver of exposure room: the room, not the risk budget, bounds it, and it
   * comes to under {@link #MIN_POSITION} of {@code equity}. (A small size the risk budget chose, a low
   * risk per trade with a wide stop, is the trader's own and stands.)
   */
  public static boolean sliverOfRoom(double byRisk, double byExposure, double entryFill, double equity) {
    return byExposure < byRisk && byExposure * entryFill < MIN_POSITION * equity;
  }

  /** The smaller bound, a hair under it; not > 0 (or NaN) when nothing fits. */
  public static double quantity(double byRisk, double byExposure) {
    return Math.min(byRisk, byExposure) * (1 - 1e-9);
  }
}
