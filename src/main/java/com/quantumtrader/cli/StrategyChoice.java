package com.quantumtrader.cli;

import com.quantumtrader.strategy.Template;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --strategy TEMPLATE} and {@code --params NAME=VALUE,...}: a template and its parameters, as
 * {@code backtest} and {@code strategies register} take them (a mixin: one declaration, one check).
 */
final class StrategyChoice {
  @Option(names = "--strategy", required = true, paramLabel = "TEMPLATE",
      description = "trend-ema-cross, donchian-breakout or mean-reversion.")
  String strategy;

  @Option(names = "--params", split = ",", paramLabel = "NAME=VALUE",
      description = "Parameters by name, e.g. fast=5,slow=20 (as backtest and evolve print them); the template's defaults for the others.")
  List<String> params = new ArrayList<>();

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The template named, or a usage error listing them. */
  Template template() {
    return StrategyInputs.template(mixee, strategy);
  }

  /** The template's defaults with the named values put in, checked by the template; a usage error otherwise. */
  double[] params(Template t) {
    return StrategyInputs.params(mixee, t, params);
  }
}
