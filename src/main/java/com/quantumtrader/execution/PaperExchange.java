package com.quantumtrader.execution;

import com.quantumtrader.strategy.FillRules;

import com.quantumtrader.execution.ExchangeGateway.Execution;
import com.quantumtrader.strategy.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper venue: fills against bars with {@link FillRules}. Pure. For one bar of a symbol, in order:
 *
 * <ol>
 *   <li>a working CLOSE order decided on an earlier bar fills at this bar's open (and the position
 *       is gone before its stop is looked at);
 *   <li>a working OPEN order decided on an earlier bar fills at this bar's open;
 *   <li>the open position — including one just opened at this open — is checked against this bar's
 *       range: stop first, then take-profit. A bar not newer than the position's opening bar is not
 *       checked (a replay of older bars cannot close it).
 * </ol>
 */
public final class PaperExchange implements ExchangeGateway {
  private final double feeRate;
  private final double slippage;

  public PaperExchange(double feeRate, double slippage) {
    this.feeRate = feeRate;
    this.slippage = slippage;
  }

  @Override
  public String name() {
    return "paper";
  }

  @Override
  public List<Execution> onBar(Portfolio book, String symbol, long t, double open, double high, double low, double close) {
    List<Execution> out = null;
    Position pos = book.positions().get(symbol);
    Order working = book.workingOrderFor(symbol);
    if (working != null && working.afterTime() < t) {
      if (working.intent() == Order.Intent.CLOSE) {
        if (pos != null) {
          FillRules.Fill f = FillRules.marketExit(pos.side(), pos.quantity(), open, slippage, feeRate);
          out = add(out, new Execution(Execution.Kind.EXIT, working.orderId(), symbol, f.price(), f.fee(), null, t));
        }
        return out == null ? List.of() : out;
      }
      if (pos == null) {
        FillRules.Fill f = FillRules.marketEntry(working.side(), working.quantity(), open, slippage, feeRate);
        out = add(out, new Execution(Execution.Kind.ENTRY, working.orderId(), symbol, f.price(), f.fee(), null, t));
        pos = new Position(symbol, working.strategyId(), working.side(), working.quantity(), f.price(), f.fee(),
            working.stop(), working.takeProfit(), t, working.orderId());
      }
    }
    // A position is checked against bars after the one that opened it (and that one, when it opened at
    // its open just now): a bar older than the position (a replay after a restart) cannot close it.
    if (pos != null && (out != null || pos.openedAt() < t)) {
      FillRules.Exit x = FillRules.checkExit(pos.side(), pos.quantity(), pos.stop(), pos.takeProfit(), open, high, low, slippage, feeRate);
      if (x != null) out = add(out, new Execution(Execution.Kind.EXIT, pos.orderId(), symbol, x.price(), x.fee(), x.kind(), t));
    }
    return out == null ? List.of() : out;
  }

  private static List<Execution> add(List<Execution> l, Execution e) {
    if (l == null) l = new ArrayList<>(2);
    l.add(e);
    return l;
  }

  /** The side that closes a position. */
  static String closingSide(Side s) {
    return s == Side.LONG ? "SELL" : "BUY";
  }
}
