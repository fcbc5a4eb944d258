package com.quantumtrader.strategy;

import com.quantumtrader.common.CborSerializable;
import java.util.Arrays;

/**
 * A strategy instance's definition: an id, a template and that template's parameters (in {@link
 * Template#params()} order). Valid by construction; equality is over the parameters' content. The
 * array is copied in and out, so a spec never changes.
 */
public record StrategySpec(String id, Template template, double[] params) implements CborSerializable {
  public StrategySpec {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("strategy id must not be blank");
    if (template == null) throw new IllegalArgumentException("strategy " + id + ": template must not be null");
    params = params == null ? null : params.clone();
    template.validate(params);
  }

  private static final java.util.regex.Pattern NAMEABLE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  /**
   * Why {@code id} cannot be a strategy id the policy's lists, the registry and the API name, or null
   * when it can: 1-64 letters, digits, '.', '_', ':', '-', starting with a letter or digit.
   */
  public static String idProblem(String id) {
    return id != null && NAMEABLE_ID.matcher(id).matches() ? null
        : "strategy id must be 1-64 characters of letters, digits, '.', '_', ':', '-', starting with a letter or digit, got '" + id + "'";
  }

  /** The template with its default parameters. */
  public static StrategySpec defaults(String id, Template template) {
    return new StrategySpec(id, template, template.defaults());
  }

  /** A copy of the parameters. */
  @Override
  public double[] params() {
    return params.clone();
  }

  /** A new engine for one symbol. */
  public SignalEngine newEngine() {
    return template.create(params);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StrategySpec s && id.equals(s.id) && template == s.template && Arrays.equals(params, s.params);
  }

  @Override
  public int hashCode() {
    return (id.hashCode() * 31 + template.name().hashCode()) * 31 + Arrays.hashCode(params);
  }

  @Override
  public String toString() {
    return "StrategySpec[id=" + id + ", template=" + template + ", params=" + Arrays.toString(params) + "]";
  }
}
