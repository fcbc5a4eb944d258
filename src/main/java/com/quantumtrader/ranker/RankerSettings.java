package com.quantumtrader.ranker;

import com.quantumtrader.common.ConfigReader;
import com.typesafe.config.Config;
import java.time.Duration;

/** quantum-trader.opportunity-ranker */
public record RankerSettings(
    int topN,
    Duration updateInterval,
    RankingCriteria criteria,
    int checkpointEveryBars,
    Duration checkpointInterval) {

  public static RankerSettings fromConfig(Config root) {
    ConfigReader r = new ConfigReader(root, "quantum-trader.opportunity-ranker");
    return new RankerSettings(
        r.intIn("top-n", "QT_OPP_RANKER_TOP_N", 1, 10_000),
        r.positiveDuration("update-interval", "QT_OPP_RANKER_UPDATE_INTERVAL"),
        RankingCriteria.fromConfig(root),
        r.intIn("checkpoint-every-bars", "QT_OPP_RANKER_CHECKPOINT_EVERY_BARS", 1, 10_000_000),
        r.positiveDuration("checkpoint-interval", "QT_OPP_RANKER_CHECKPOINT_INTERVAL"));
  }
}
