package com.quantumtrader.cli;

import com.quantumtrader.common.Numbers;
import com.quantumtrader.strategy.Backtester;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The risk gate's minimum confidence in a local run ({@code backtest}, {@code evolve}): an entry
 * below it is not taken, as the live risk gate refuses it; by default the NORMAL policy's.
 */
final class MinConfidence {
  @Option(names = "--min-confidence", paramLabel = "C", defaultValue = "" + Backtester.Config.NORMAL_MIN_CONFIDENCE,
      description = "Entries whose signal confidence is below this are not taken, as the risk gate refuses them; in [0, 1]"
          + " (default ${DEFAULT-VALUE}, the NORMAL policy's; 0 takes every entry signal).")
  double value;

  /** {@code config} with this minimum; a value out of [0, 1] is a usage error naming the option. */
  Backtester.Config apply(CommandSpec spec, Backtester.Config config) {
    if (!(value >= 0 && value <= 1)) {
      throw new ParameterException(spec.commandLine(), "--min-confidence must be in [0, 1], got " + Numbers.typed(value));
    }
    return config.withMinConfidence(value);
  }
}
