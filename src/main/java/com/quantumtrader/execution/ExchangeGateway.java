package com.quantumtrader.execution;

import com.quantumtrader.strategy.FillRules;

import com.quantumtrader.common.CborSerializable;
import com.quantumtrader.strategy.FillRules.ExitKind;
import java.util.List;

/**
 * Where the broker's orders are executed. The broker keeps the book (cash, positions, working
 * orders) in its journal; a gateway only says what got filled. {@link PaperExchange} fills against
 * the bar stream with {@link FillRules}; a live venue's gateway would answer from the venue's
 * execution reports instead.
 */
public interface ExchangeGateway {

  /** A gateway's name, shown to operators (e.g. "paper"). */
  String name();

  /**
   * What one bar of a symbol executes for the book's working orders and open positions in that
   * symbol, in the order it happened.
   */
  List<Execution> onBar(Portfolio book, String symbol, long openTime, double open, double high, double low, double close);

  /** One fill. An entry opens {@code orderId}'s position; an exit closes the symbol's position. */
  record Execution(Kind kind, String orderId, String symbol, double price, double fee, ExitKind exitKind, long barTime)
      implements CborSerializable {
    public enum Kind {
      ENTRY,
      EXIT
    }
  }
}
