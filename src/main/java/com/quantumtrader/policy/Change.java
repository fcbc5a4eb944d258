package com.quantumtrader.policy;

import com.quantumtrader.common.CborSerializable;

/**
 * Who asks for a policy change and why, and optionally which version of the policy they saw.
 *
 * @param changedBy {@code MSC_AI}, an operator's token name, ...
 * @param reason why, in words; it becomes part of the policy history
 * @param expectedVersion if not null, the change is refused unless the policy is still at this
 *     version (two writers cannot overwrite each other blindly)
 */
public record Change(String changedBy, String reason, Long expectedVersion) implements CborSerializable {
  public static final int MAX_ACTOR_LENGTH = 64;
  public static final int MAX_REASON_LENGTH = 2000;

  /** The characters of {@code s} (code points: an emoji is one, not two UTF-16 units), as the limits count them. */
  public static int characters(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code s} cut to {@code max} characters, never between the two halves of one. */
  public static String cut(String s, int max) {
    return characters(s) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max));
  }

  public static Change by(String changedBy, String reason) {
    return new Change(changedBy, reason, null);
  }

  public Change expecting(long version) {
    return new Change(changedBy, reason, version);
  }
}
