package com.quantumtrader.strategy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.quantumtrader.strategy.FillRules.Exit;
import com.quantumtrader.strategy.FillRules.ExitKind;
import com.quantumtrader.strategy.FillRules.Fill;
import com.quantumtrader.strategy.Side;
import org.junit.Test;

/** Every fill rule on hand-computed cases. */
public class FillRulesTest {
  private static final double E = 1e-9;

  @Test
  public void marketOrdersFillAtTheNextOpenWithSlippageAgainstTheTraderAndFees() {
    Fill buy = FillRules.marketEntry(Side.LONG, 2, 100, 0.001, 0.0005);
    assertEquals(100.1, buy.price(), E);
    assertEquals(0.0005 * 2 * 100.1, buy.fee(), E);
    Fill sell = FillRules.marketEntry(Side.SHORT, 2, 100, 0.001, 0.0005);
    assertEquals(99.9, sell.price(), E);
    assertEquals(99.9, FillRules.marketExit(Side.LONG, 2, 100, 0.001, 0).price(), E);
    assertEquals(100.1, FillRules.marketExit(Side.SHORT, 2, 100, 0.001, 0).price(), E);
  }

  @Test
  public void aBarInsideTheLevelsLeavesThePositionOpen() {
    assertNull(FillRules.checkExit(Side.LONG, 1, 95, 110, 100, 105, 96, 0, 0));
    assertNull(FillRules.checkExit(Side.SHORT, 1, 105, 90, 100, 104, 91, 0, 0));
    assertNull(FillRules.checkExit(Side.LONG, 1, Double.NaN, Double.NaN, 100, 200, 1, 0, 0));
  }

  @Test
  public void stopsAndTakeProfitsFillAtTheirLevels() {
    Exit stop = FillRules.checkExit(Side.LONG, 3, 95, 110, 100, 101, 94, 0.001, 0.001);
    assertEquals(ExitKind.STOP, stop.kind());
    assertEquals(95 * 0.999, stop.price(), E);
    assertEquals(0.001 * 3 * 95 * 0.999, stop.fee(), E);
    Exit tp = FillRules.checkExit(Side.LONG, 3, 95, 110, 100, 111, 99, 0.001, 0.001);
    assertEquals(ExitKind.TAKE_PROFIT, tp.kind());
    assertEquals(110, tp.price(), E); // a limit fill: no slippage
    Exit shortStop = FillRules.checkExit(Side.SHORT, 1, 105, 90, 100, 106, 99, 0.001, 0);
    assertEquals(ExitKind.STOP, shortStop.kind());
    assertEquals(105 * 1.001, shortStop.price(), E);
    Exit shortTp = FillRules.checkExit(Side.SHORT, 1, 105, 90, 100, 101, 89, 0.001, 0);
    assertEquals(ExitKind.TAKE_PROFIT, shortTp.kind());
    assertEquals(90, shortTp.price(), E);
  }

  @Test
  public void whenStopAndTakeProfitAreBothInOneBarTheStopComesFirst() {
    Exit e = FillRules.checkExit(Side.LONG, 1, 95, 110, 100, 112, 93, 0, 0);
    assertEquals(ExitKind.STOP, e.kind());
    assertEquals(95, e.price(), E);
    Exit s = FillRules.checkExit(Side.SHORT, 1, 105, 90, 100, 106, 89, 0, 0);
    assertEquals(ExitKind.STOP, s.kind());
    assertEquals(105, s.price(), E);
  }

  @Test
  public void aGapThroughALevelFillsAtTheOpen() {
    assertEquals(90 * 0.999, FillRules.checkExit(Side.LONG, 1, 95, 110, 90, 92, 88, 0.001, 0).price(), E);
    assertEquals(115, FillRules.checkExit(Side.LONG, 1, 95, 110, 115, 120, 114, 0.001, 0).price(), E);
    assertEquals(108 * 1.001, FillRules.checkExit(Side.SHORT, 1, 105, 90, 108, 109, 107, 0.001, 0).price(), E);
    assertEquals(85, FillRules.checkExit(Side.SHORT, 1, 105, 90, 85, 86, 84, 0.001, 0).price(), E);
  }

  @Test
  public void roundTripProfitIsNetOfBothFees() {
    Fill in = FillRules.marketEntry(Side.LONG, 10, 100, 0, 0.001); // 100, fee 1.0
    assertEquals((110 - 100) * 10 - 1.0 - 1.1, FillRules.pnl(Side.LONG, 10, in, 110, 1.1), E);
    Fill shortIn = FillRules.marketEntry(Side.SHORT, 10, 100, 0, 0.001);
    assertEquals((100 - 90) * 10 - 1.0 - 0.9, FillRules.pnl(Side.SHORT, 10, shortIn, 90, 0.9), E);
  }
}
