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
}
