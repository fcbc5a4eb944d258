package com.quantumtrader.app;

import akka.actor.typed.ActorSystem;
import com.quantumtrader.common.Futures;
import com.quantumtrader.common.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The launcher: {@code quantum-trader run} starts a node; operator commands come as subcommands. */
@Command(
    name = "quantum-trader",
    mixinStandardHelpOptions = true,
    version = "Quantum Trader 0.1.0",
    description = "A clustered trading operating system.",
    subcommands = {
        Main.Run.class,
        com.quantumtrader.cli.StatusCommand.class,
        com.quantumtrader.cli.PolicyCommand.class,
        com.quantumtrader.cli.MscCommand.class,
        com.quantumtrader.cli.RankingsCommand.class,
        com.quantumtrader.cli.PortfolioCommand.class,
        com.quantumtrader.cli.TradesCommand.class,
        com.quantumtrader.cli.MetricsCommand.class,
        com.quantumtrader.cli.EventsCommand.class,
        com.quantumtrader.cli.ClusterCommand.class,
        com.quantumtrader.cli.StrategiesCommand.class,
        com.quantumtrader.cli.SgCommand.class,
        com.quantumtrader.cli.BacktestCommand.class,
        com.quantumtrader.cli.EvolveCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_DATABASE = 3;
  /** {@code run --until-end-of-data} whose market feed stopped FAILED or left out files it could not read (after the report). */
  public static final int EXIT_FEED_FAILED = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Futures.guardCommonPool();
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** The launcher's command line, as {@link #main} runs it (tests run it in-process the same way). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // numbers as people write them: "2d" is refused, not read as 2 (Java's suffix)
    CommandLine.ITypeConverter<Double> number = v -> {
      try {
        return com.quantumtrader.common.Numbers.parse(v);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a number");
      }
    };
    cl.registerConverter(Double.class, number);
    cl.registerConverter(Double.TYPE, number);
    for (String local : List.of("backtest", "evolve")) {
      cl.getSubcommands().get(local).getCommandSpec().usageMessage().footer(com.quantumtrader.cli.BacktestCommand.templatesHelp());
    }
    cl.setDefaultValueProvider(arg -> blankEnvDefault(arg, System::getenv));
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine.ParameterException e = unknownCommand(namingEnvDefault(ex, args, System::getenv));
      CommandLine c = e.getCommandLine();
      if (!c.getSubcommands().isEmpty()) return usage.handleParseException(e, args); // a group: its usage lists its commands
      return briefly(e, c);
    });
    return cl;
  }

  /**
   * A command's usage error: the message and where the options are, not the command's whole usage
   * (56 lines for {@code backtest}, under which the one line that matters scrolled away).
   */
  static int briefly(CommandLine.ParameterException e, CommandLine c) {
    java.io.PrintWriter err = c.getErr();
    err.println(c.getColorScheme().errorText(e.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + c.getCommandSpec().qualifiedName() + " --help' for its options.");
    err.flush();
    return c.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * A word that is not one of a command group's commands ({@code policy block-strategy X}): picocli
   * says "Unmatched arguments from index 1: 'block-strategy', 'X', ...", which reads as if the
   * arguments were wrong; the message names the unknown command, the group's commands and the
   * nearest ones. The group's usage follows it. Any other error is returned as it is.
   */
  static CommandLine.ParameterException unknownCommand(CommandLine.ParameterException ex) {
    List<String> unmatched = ex.getCommandLine().getUnmatchedArguments();
    if (ex instanceof CommandLine.MissingParameterException && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
      // a stray word (a value without its option, a positional the command does not take), reported before the missing option
      return new CommandLine.ParameterException(ex.getCommandLine(), "unexpected argument '" + unmatched.get(0) + "'; " + ex.getMessage());
    }
    if (ex instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
      // a misspelt required option (--rason): picocli reports the missing one only; the misspelling comes first
      String word = unmatched.get(0);
      String given = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      List<String> names = ex.getCommandLine().getCommandSpec().optionsMap().keySet().stream().filter(n -> n.startsWith("--")).toList();
      int best = names.stream().mapToInt(n -> editDistance(n, given)).min().orElse(Integer.MAX_VALUE);
      if (best == 0) {
        // the option's own name, not read as one: it came after '--', which ends the options
        return new CommandLine.ParameterException(ex.getCommandLine(), "'" + given + "' came after '--', which ends the options"
            + " (what follows it is read as arguments): put the options before it; " + ex.getMessage());
      }
      List<String> near = best > 2 ? List.of() : names.stream().filter(n -> editDistance(n, given) == best).sorted().toList();
      return new CommandLine.ParameterException(ex.getCommandLine(), "unknown option '" + given + "'"
          + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)") + "; " + ex.getMessage());
    }
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return ex;
    CommandLine group = ex.getCommandLine();
    String word = u.getUnmatched().get(0);
    if (group.getSubcommands().isEmpty() || word.startsWith("-")) return ex;
    String name = group.getCommandSpec().qualifiedName();
    List<String> commands = group.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
    int nearest = commands.stream().filter(c -> resembles(word, c)).mapToInt(c -> editDistance(c, word)).min().orElse(-1);
    List<String> near = commands.stream().filter(c -> resembles(word, c) && editDistance(c, word) == nearest).toList();
    return new CommandLine.ParameterException(group, "unknown command '" + word + "' for " + name + "; its commands are "
        + String.join(", ", commands) + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)"));
  }

  private static final java.util.regex.Pattern ENV_DEFAULT = java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");
  private static final java.util.regex.Pattern ENV_OR = java.util.regex.Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*):-([^}]*)}");

  /**
   * The fallback of an option's {@code ${env:QT_...:-200}} default when the variable is set but empty
   * or blank, as the node's configuration takes such a variable (not set); null otherwise, and picocli
   * uses the declared default (picocli alone would take the empty value and fail on it).
   */
  static String blankEnvDefault(CommandLine.Model.ArgSpec arg, java.util.function.UnaryOperator<String> env) {
    if (!(arg instanceof CommandLine.Model.OptionSpec o)) return null;
    Option declared = declared(o);
    if (declared == null) return null;
    java.util.regex.Matcher m = ENV_OR.matcher(declared.defaultValue());
    if (!m.matches()) return null;
    String v = env.apply(m.group(1));
    return v != null && v.isBlank() ? m.group(2) : null;
  }

  /**
   * An option not on the command line whose default ({@code ${env:QT_...:-200}}) came from an
   * environment variable and does not convert: picocli blames the option ("Invalid value for option
   * '--population'"), which the operator did not give; the message names the variable instead.
   * Any other error is returned as it is.
   */
  static CommandLine.ParameterException namingEnvDefault(CommandLine.ParameterException ex, String[] args,
      java.util.function.UnaryOperator<String> env) {
    if (!(ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o)) return ex;
    Option declared = declared(o);
    if (declared == null) return ex;
    // given on the command line: its own value is the bad one (the parse result does not have it yet)
    for (String arg : args) {
      for (String name : o.names()) if (arg.equals(name) || arg.startsWith(name + "=")) return ex;
    }
    java.util.regex.Matcher m = ENV_DEFAULT.matcher(declared.defaultValue());
    while (m.find()) {
      String name = m.group(1), value = env.apply(name);
      if (value == null || !value.equals(ex.getValue())) continue;
      String prefix = "Invalid value for option '" + o.longestName() + "': ";
      String why = ex.getMessage().startsWith(prefix) ? ex.getMessage().substring(prefix.length()) : ex.getMessage();
      return new CommandLine.ParameterException(ex.getCommandLine(), "Invalid value for environment variable " + name + "="
          + value + " (the default of " + o.longestName() + "): " + why + "; correct or unset " + name + ", or give "
          + o.longestName(), ex, o, value);
    }
    return ex;
  }

  /** The option as declared, its default as written (OptionSpec.defaultValue() is the interpolated one); null if not an annotated one. */
  private static Option declared(CommandLine.Model.OptionSpec o) {
    return o.userObject() instanceof java.lang.reflect.AnnotatedElement e ? e.getAnnotation(Option.class) : null;
  }

  /**
   * Whether {@code word} looks like a misspelling or a longer or shorter form of {@code command}:
   * within two edits ({@code polcy}, {@code shaodw}), or one holds the other ({@code block-strategy},
   * {@code prom}). picocli's own suggestions are looser ({@code frob}: "promote").
   */
  static boolean resembles(String word, String command) {
    if (editDistance(word, command) <= 2) return true;
    return (word.length() >= 3 && command.contains(word)) || (command.length() >= 4 && word.contains(command));
  }

  /**
   * Edit distance with two neighbouring letters swapped as one edit (optimal string alignment), for
   * suggesting a name: {@code shaodw} is one edit from {@code shadow}, two from {@code show}.
   */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j], d[i][j - 1]) + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  @Override
  public Integer call() {
    throw com.quantumtrader.cli.CommandGroup.missingCommand(spec.commandLine());
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Start a node and keep it running until it is stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "An operator config file layered over the packaged application.conf (or QT_CONFIG).")
    Path config;

    @Option(names = "--data", paramLabel = "PATH",
        description = "Replay candles from this <SYMBOL>-<interval>.csv file or folder instead of the synthetic market.")
    Path data;

    @Option(names = "--interval", paramLabel = "INTERVALS",
        description = "Only the --data files of these intervals, e.g. 5m or 5m,1d (QT_MARKET_INTERVAL); needed when a symbol has several.")
    String interval;

    @Option(names = "--speed", paramLabel = "N|max",
        description = "Replay speed as a multiple of real time (default 3600: an hour of bars per second), or max.")
    String speed;

    @Option(names = "--until-end-of-data",
        description = "Stop when a finite feed (--data, or QT_MARKET_SYNTHETIC_STEPS) has delivered its last bar, "
            + "and print the run's summary report.")
    boolean untilEndOfData;

    @Override
    public Integer call() {
      ActorSystem<Guardian.Command> system;
      try {
        Path file = config != null ? config : ConfigLoader.operatorFileFromEnvironment(System.getenv());
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        if (data != null) {
          env.put("QT_MARKET_FEED", "csv");
          env.put("QT_MARKET_DATA", data.toString());
        }
        if (speed != null) env.put("QT_MARKET_SPEED", speed);
        if (interval != null) env.put("QT_MARKET_INTERVAL", interval);
        com.typesafe.config.Config loaded = ConfigLoader.load(file, env);
        if (untilEndOfData) {
          Settings st = Settings.load(loaded);
          if (st.market().feed() == com.quantumtrader.market.MarketSettings.Kind.SYNTHETIC && st.market().syntheticSteps() == 0) {
            System.err.println("quantum-trader: --until-end-of-data needs a finite feed: --data <folder>, "
                + "or QT_MARKET_SYNTHETIC_STEPS=<n> for the synthetic market");
            return EXIT_CONFIG;
          }
        }
        system = Node.start(loaded);
      } catch (SettingsException e) {
        System.err.println("quantum-trader: configuration error: " + e.getMessage());
        return EXIT_CONFIG;
      } catch (JournalSchema.SchemaException e) {
        System.err.println("quantum-trader: journal error: " + e.getMessage());
        return EXIT_DATABASE;
      }
      if (untilEndOfData) {
        try {
          EndOfDataReport.Report report = EndOfDataReport.await(system, Duration.ofSeconds(30));
          // on stdout once (the console log is on stdout too: the report logged as well showed twice)
          LoggerFactory.getLogger(Main.class).info("run complete; its report follows on stdout");
          System.out.println(report.text());
          if (report.feedError() != null) {
            System.err.println("quantum-trader: the run did not trade all of its data: " + report.feedError());
            return stop(system, RunEnd.FeedIncomplete.INSTANCE, EXIT_FEED_FAILED);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          System.err.println("quantum-trader: could not complete the run report: " + e.getMessage());
          return stop(system, RunEnd.ReportFailed.INSTANCE, 1);
        }
        system.terminate();
      }
      system.getWhenTerminated().toCompletableFuture().join();
      return 0;
    }

    /**
     * Stops the node with this reason, whose exit status (akka.coordinated-shutdown.reason-overrides)
     * is the one returned: Akka's own System.exit at the end of the shutdown comes first (after the
     * ActorSystem's terminate it was 0, and a run whose feed failed exited 0). A node that stops
     * for a reason of its own meanwhile (its API port taken: 2) exits with that reason's status.
     */
    private static int stop(ActorSystem<?> system, akka.actor.CoordinatedShutdown.Reason reason, int status) {
      akka.actor.CoordinatedShutdown.get(system).run(reason);
      system.getWhenTerminated().toCompletableFuture().join();
      return status;
    }
  }

  /** How a finite run ends when not with its report (their exit statuses: application.conf). */
  static final class RunEnd {
    private RunEnd() {}

    enum FeedIncomplete implements akka.actor.CoordinatedShutdown.Reason { INSTANCE }

    enum ReportFailed implements akka.actor.CoordinatedShutdown.Reason { INSTANCE }
  }
}
