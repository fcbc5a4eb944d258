package com.quantumtrader.api;

/** What a token may do; each role includes the ones before it. */
public enum Role {
  /** Reads everything. */
  VIEWER,
  /** Also changes the policy, MSC overrides and strategies. */
  OPERATOR,
  /** Also runs cluster commands (leave, down) on the management port. */
  ADMIN;

  public boolean covers(Role needed) {
    return ordinal() >= needed.ordinal();
  }
}
