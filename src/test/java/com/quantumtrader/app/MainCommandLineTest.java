package com.quantumtrader.app;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.Test;
import picocli.CommandLine;

/** Usage errors of the launcher's command line, as an operator types them (no node needed). */
public class MainCommandLineTest {

  private record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  /** A word that is no command of its group is named as an unknown command, with the group's commands. */
  @Test
  public void anUnknownCommandIsNamedWithTheGroupsCommands() {
    Result r = cli("policy", "block-strategy", "X", "--reason", "r");
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit());
    String first = r.err().lines().findFirst().orElse("");
    assertEquals("unknown command 'block-strategy' for quantum-trader policy; its commands are show, history, set-mode, limits,"
        + " allow, disallow, block, unblock (did you mean block?)", first);
    assertTrue(r.err(), r.err().contains("Usage: quantum-trader policy [-hV] [COMMAND]"));
    assertFalse(r.err(), r.err().contains("Unmatched arguments"));

    Result top = cli("polcy", "show");
    assertEquals(top.toString(), CommandLine.ExitCode.USAGE, top.exit());
    assertTrue(top.err(), top.err().startsWith("unknown command 'polcy' for quantum-trader; its commands are run, status, policy,"));
    assertTrue(top.err(), top.err().contains("(did you mean policy?)"));
    // nothing near: no guess
    Result far = cli("strategies", "frob");
    assertEquals(far.toString(), CommandLine.ExitCode.USAGE, far.exit());
    assertTrue(far.err(), far.err().startsWith("unknown command 'frob' for quantum-trader strategies; its commands are list, show, register,"
        + " shadow, promote, demote, retire\n") || far.err().startsWith("unknown command 'frob' for quantum-trader strategies; its"
        + " commands are list, show, register, shadow, promote, demote, retire" + System.lineSeparator()));
    assertTrue(cli("strategies", "shaodw").err().contains("(did you mean shadow?)"));
    assertTrue(cli("strategies", "prom").err().contains("(did you mean promote?)"));
  }

  /** A group (or the launcher) without a command is a usage error that names the commands, its usage on stderr. */
  @Test
  public void aGroupWithoutACommandIsAUsageError() {
    Result sg = cli("sg");
    assertEquals(sg.toString(), CommandLine.ExitCode.USAGE, sg.exit());
    assertTrue(sg.err(), sg.err().startsWith("quantum-trader sg needs a command: runs, start, show, cancel"));
    assertTrue(sg.err(), sg.err().contains("Usage: quantum-trader sg [-hV] [COMMAND]"));
    assertEquals("", sg.out());
    Result top = cli();
    assertEquals(top.toString(), CommandLine.ExitCode.USAGE, top.exit());
    assertTrue(top.err(), top.err().startsWith("quantum-trader needs a command: run, status, policy,"));
    // asking for help is not an error
    Result help = cli("sg", "--help");
    assertEquals(help.toString(), 0, help.exit());
    assertTrue(help.out(), help.out().contains("Usage: quantum-trader sg [-hV] [COMMAND]"));
  }

  /** A misspelt required option is named before the missing one (picocli names only the missing one). */
  @Test
  public void aMisspeltRequiredOptionIsNamedBeforeTheMissingOne() {
    Result r = cli("policy", "block", "X", "--rason", "r");
    assertEquals(r.toString(), CommandLine.ExitCode.USAGE, r.exit());
    assertTrue(r.err(), r.err().startsWith("unknown option '--rason' (did you mean --reason?); Missing required option: '--reason=TEXT'"));
    Result data = cli("backtest", "--strategy", "trend-ema-cross", "--dta=x.csv");
    assertTrue(data.err(), data.err().startsWith("unknown option '--dta' (did you mean --data?); Missing required option: '--data=PATH'"));
    Result stray = cli("evolve", "--strategy", "trend-ema-cross", "extra");
    assertTrue(stray.err(), stray.err().startsWith("unexpected argument 'extra'; Missing required option: '--data=PATH'"));
    // an option after '--' (which ends the options) is not "unknown": said so
    Result after = cli("policy", "block", "--", "X", "--reason", "r");
    assertEquals(after.toString(), CommandLine.ExitCode.USAGE, after.exit());
    assertTrue(after.err(), after.err().startsWith("'--reason' came after '--', which ends the options (what follows it is read as"
        + " arguments): put the options before it; Missing required option: '--reason=TEXT'"));
    // only missing: as picocli says it
    Result missing = cli("policy", "block", "X");
    assertTrue(missing.err(), missing.err().startsWith("Missing required option: '--reason=TEXT'"));
    // an unknown option of a command without subcommands stays picocli's
    Result option = cli("policy", "block", "X", "--reason", "r", "--forse");
    assertEquals(option.toString(), CommandLine.ExitCode.USAGE, option.exit());
    assertTrue(option.err(), option.err().startsWith("Unknown option: '--forse'"));
  }
}
