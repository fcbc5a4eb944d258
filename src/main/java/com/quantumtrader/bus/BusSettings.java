package com.quantumtrader.bus;

import com.quantumtrader.common.ConfigReader;
import com.typesafe.config.Config;
import java.time.Duration;

/** quantum-trader.event-bus */
public record BusSettings(int maxQueueSize, int deliveryWindow, Duration ackTimeout) {
  public static BusSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.event-bus");
    return new BusSettings(
        r.intIn("max-queue-size", "QT_EVENTBUS_MAX_QUEUE_SIZE", 1, 10_000_000),
        r.intIn("delivery-window", "QT_EVENTBUS_DELIVERY_WINDOW", 1, 100_000),
        r.positiveDuration("ack-timeout", "QT_EVENTBUS_ACK_TIMEOUT"));
  }
}
