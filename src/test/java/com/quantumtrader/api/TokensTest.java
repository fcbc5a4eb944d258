package com.quantumtrader.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.quantumtrader.common.SettingsException;
import org.junit.Test;

/** The token settings: each name and each secret once, so that a request's token names one principal. */
public class TokensTest {
  @Test
  public void aSecretSharedByTwoNamesIsRefusedAtStart() {
    String s = "a-secret-of-more-than-16-chars";
    try {
      Tokens.load("vic:viewer:" + s + ",ada:admin:" + s, null);
      fail("two names with one secret were accepted");
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("vic and ada have the same secret; give each its own"));
    }
    try {
      Tokens.load("vic:viewer:" + s + ",vic:admin:another-secret-of-16-chars", null);
      fail("one name twice was accepted");
    } catch (SettingsException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("name vic is used twice"));
    }
    Tokens ok = Tokens.load("vic:viewer:" + s + ",ada:admin:another-secret-of-16-chars", null);
    assertEquals(Role.ADMIN, ok.authenticate("another-secret-of-16-chars").orElseThrow().role());
  }

  /** A token file that cannot be read says why in words (a missing file said "cannot read /nope: /nope"). */
  @Test
  public void anUnreadableTokenFileSaysWhy() throws Exception {
    java.nio.file.Path bin = java.nio.file.Files.write(java.nio.file.Files.createTempFile("qt-tokens-", ".txt"),
        new byte[] {'v', 'i', 'c', ' ', (byte) 0xff, (byte) 0xfe});
    String[][] cases = {{"/nonexistent/qt-tokens", "no such file"}, {bin.toString(), "not UTF-8 text"}};
    for (String[] c : cases) {
      try {
        Tokens.load("", java.nio.file.Path.of(c[0]));
        fail(c[0]);
      } catch (SettingsException e) {
        assertEquals("QT_API_TOKENS_FILE: cannot read " + c[0] + ": " + c[1], e.getMessage());
      }
    }
  }
}
