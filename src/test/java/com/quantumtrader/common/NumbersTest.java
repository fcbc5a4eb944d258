package com.quantumtrader.common;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NumbersTest {
  @Test
  public void writesValuesAsTypedAndExact() {
    assertEquals("1000", Numbers.typed(1e3));
    assertEquals("0", Numbers.typed(0.0));
    assertEquals("0", Numbers.typed(-0.0));
    assertEquals("0.6", Numbers.typed(0.6));
    assertEquals("-0.001", Numbers.typed(-0.001));
    assertEquals("0.00015", Numbers.typed(0.00015)); // not rounded to four decimals
    assertEquals("123456.789", Numbers.typed(123456.789));
    assertEquals("1e300", Numbers.typed(1e300));
    assertEquals("2.5e16", Numbers.typed(2.5e16));
    assertEquals("-1e-9", Numbers.typed(-1e-9));
    assertEquals("NaN", Numbers.typed(Double.NaN));
    assertEquals("-Infinity", Numbers.typed(Double.NEGATIVE_INFINITY));
  }

  @Test
  public void readsNumbersAsPeopleWriteThemNotJavasSuffixes() {
    assertEquals(2.0, Numbers.parse(" 2 "), 0);
    assertEquals(-0.5, Numbers.parse("-.5"), 0);
    assertEquals(1.5e-3, Numbers.parse("1.5E-3"), 0);
    assertEquals(3.0, Numbers.parse("+3"), 0);
    assertTrue(Double.isNaN(Numbers.parse("NaN")));
    assertEquals(Double.NEGATIVE_INFINITY, Numbers.parse("-Infinity"), 0);
    for (String bad : new String[] {"2d", "2D", "2f", "0x1p3", "1,5", "", "abc", "Inf", "2 3"}) {
      try {
        Numbers.parse(bad);
        org.junit.Assert.fail("read '" + bad + "'");
      } catch (NumberFormatException expected) {
        // refused
      }
    }
  }
}
