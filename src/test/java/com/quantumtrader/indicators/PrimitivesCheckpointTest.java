package com.quantumtrader.indicators;

import static org.junit.Assert.assertEquals;

import com.quantumtrader.market.Bar;
import java.util.List;
import org.junit.Test;

/** A primitive brought back from its readable state continues exactly like one never interrupted. */
public class PrimitivesCheckpointTest {
  @Test
  public void restoredPrimitivesContinueLikeUninterruptedOnes() throws Exception {
    List<Bar> bars = Ta4jBars.load("real/BTCUSDT-1h.csv").bars;
    for (int cut : new int[] {0, 1, 7, 20, 333}) {
      Ema ema = new Ema(12);
      Wilder wilder = new Wilder(14);
      Atr atr = new Atr(14);
      Rsi rsi = new Rsi(14);
      RollingExtreme max = RollingExtreme.max(20), min = RollingExtreme.min(10);
      Bollinger bb = new Bollinger(20, 2);
      for (int i = 0; i < cut; i++) {
        Bar b = bars.get(i);
        ema.update(b.close());
        wilder.update(b.close());
        atr.update(b.high(), b.low(), b.close());
        rsi.update(b.close());
        max.update(b.high());
        min.update(b.low());
        bb.update(b.close());
      }
      Ema ema2 = new Ema(12);
      ema2.restore(ema.value(), ema.count());
      Wilder wilder2 = new Wilder(14);
      wilder2.restore(wilder.value(), wilder.count());
      Atr atr2 = new Atr(14);
      atr2.restore(atr.value(), atr.count(), atr.prevClose());
      Rsi rsi2 = new Rsi(14);
      rsi2.restore(rsi.avgGain(), rsi.avgLoss(), rsi.count(), rsi.prev());
      RollingExtreme max2 = RollingExtreme.max(20), min2 = RollingExtreme.min(10);
      max2.restore(max.count(), max.window());
      min2.restore(min.count(), min.window());
      Bollinger bb2 = new Bollinger(20, 2);
      bb2.restore(bb.window());
      for (int i = cut; i < cut + 200; i++) {
        Bar b = bars.get(i);
        String at = "cut " + cut + " bar " + i;
        assertEquals(at + " ema", ema.update(b.close()), ema2.update(b.close()), 0.0);
        assertEquals(at + " wilder", wilder.update(b.close()), wilder2.update(b.close()), 0.0);
        assertEquals(at + " atr", atr.update(b.high(), b.low(), b.close()), atr2.update(b.high(), b.low(), b.close()), 0.0);
        assertEquals(at + " rsi", rsi.update(b.close()), rsi2.update(b.close()), 0.0);
        assertEquals(at + " max", max.update(b.high()), max2.update(b.high()), 0.0);
        assertEquals(at + " min", min.update(b.low()), min2.update(b.low()), 0.0);
        bb.update(b.close());
        bb2.update(b.close());
        Ta4jBars.assertClose(at + " bb lower", bb.lower(), bb2.lower());
        Ta4jBars.assertClose(at + " bb upper", bb.upper(), bb2.upper());
      }
    }
  }
}
