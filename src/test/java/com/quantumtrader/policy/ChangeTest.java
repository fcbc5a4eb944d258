package com.quantumtrader.policy;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The limits on a change's words count characters, and a cut never splits one (half of one cannot be journaled). */
public class ChangeTest {
  private static final String EMOJI = "\uD83D\uDCC8"; // one character, two UTF-16 units

  @Test
  public void charactersAreCodePointsAndACutKeepsThemWhole() {
    assertEquals(1, Change.characters(EMOJI));
    assertEquals(2000, Change.characters(EMOJI.repeat(2000)));
    assertEquals(EMOJI.repeat(3), Change.cut(EMOJI.repeat(5), 3));
    assertEquals("ab" + EMOJI, Change.cut("ab" + EMOJI + "cd", 3));
    assertEquals("abc", Change.cut("abc", 3));
    // a reason of 2,000 emoji is within the limit (4,000 UTF-16 units), one more is not
    assertEquals(java.util.List.of(), PolicyStore.checkChange(Change.by("otto", EMOJI.repeat(2000))));
    assertEquals(java.util.List.of("reason is longer than 2000 characters"), PolicyStore.checkChange(Change.by("otto", EMOJI.repeat(2001))));
  }
}
