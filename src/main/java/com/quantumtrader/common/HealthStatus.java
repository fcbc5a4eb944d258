package com.quantumtrader.common;

/** A node's or component's health, as published on {@code health.status_changed}. */
public enum HealthStatus {
  HEALTHY,
  DEGRADED,
  CRITICAL
}
