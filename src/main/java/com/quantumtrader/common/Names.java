package com.quantumtrader.common;

import java.util.List;

/** Lists of names in a message to a person. */
public final class Names {
  private Names() {}

  /** Names for a message: all of them up to 8, else the first 5 and how many more. */
  public static String few(List<String> names) {
    return few(names, ", ");
  }

  /** {@link #few(List)} joined with {@code separator}. */
  public static String few(List<String> names, String separator) {
    return names.size() <= 8 ? String.join(separator, names)
        : String.join(separator, names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }

  /**
   * Whether {@code c} acts on how text is shown rather than being shown: a control character
   * (U+0000-U+001F, U+007F-U+009F: a line break, a tab, an escape sequence's ESC), the line and
   * paragraph separators (U+2028, U+2029) and the bidirectional embeddings, overrides and isolates
   * (U+202A-U+202E, U+2066-U+2069), which reorder a line in a terminal. The API refuses them in text an
   * operator sends; the CLI writes them out when it prints the node's text.
   */
  public static boolean controlsText(char c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}
