package com.quantumtrader.strategy;

/** The direction of a position. */
public enum Side {
  LONG,
  SHORT
}
