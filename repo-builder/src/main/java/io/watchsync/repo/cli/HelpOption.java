package io.watchsync.repo.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} for a subcommand, mixed in. Not picocli's standard mixin: its {@code --version}
 * would clash with the package command's version option.
 */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
