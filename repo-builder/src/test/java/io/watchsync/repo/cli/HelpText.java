package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks a command's --help output whatever width picocli wrapped it to. */
final class HelpText {
  private HelpText() {}

  /**
   * Asserts that {@code help} holds every phrase. Runs of whitespace count as one space, so a
   * phrase still matches where picocli breaks the line or pads a column.
   */
  static void assertMentions(String help, String... phrases) {
    String oneLine = help.replaceAll("\\s+", " ");
    for (String phrase : phrases) {
      assertTrue(oneLine.contains(phrase), phrase + " in:\n" + help);
    }
  }
}
