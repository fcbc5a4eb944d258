package com.quantumtrader.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands: on its own it is a usage error (exit 2) naming the
 * group's commands, followed by its usage on stderr.
 */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw missingCommand(spec.commandLine());
  }

  /** The error for {@code group} given without one of its commands. */
  public static CommandLine.ParameterException missingCommand(CommandLine group) {
    String commands = String.join(", ", group.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList());
    return new CommandLine.ParameterException(group, group.getCommandSpec().qualifiedName() + " needs a command: " + commands);
  }
}
