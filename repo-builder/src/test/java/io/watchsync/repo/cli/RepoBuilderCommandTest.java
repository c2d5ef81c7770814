package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The top-level command follows the conventions watchsync's has: exit codes, usage, version. */
class RepoBuilderCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return RepoBuilderCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void withoutACommandItPrintsTheUsageToStderrAndExits2() {
    assertEquals(2, run());
    assertEquals("", out.toString());
    assertTrue(err.toString().startsWith("repo-builder: a command is required"), err.toString());
    HelpText.assertMentions(err.toString(), "Usage: repo-builder", "mirror");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertEquals(2, run("frobnicate"));
    HelpText.assertMentions(err.toString(), "Unmatched argument", "frobnicate");
  }

  @Test
  void versionPrintsTheVersionMavenStampedAndTheJavaRuntime() {
    assertEquals(0, run("--version"));
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].matches("repo-builder \\d+\\.\\d+\\.\\d+.*"), out.toString());
    assertTrue(lines[1].startsWith("Java " + System.getProperty("java.version")), out.toString());
  }

  @Test
  void helpListsTheExitCodes() {
    assertEquals(0, run("--help"));
    HelpText.assertMentions(
        out.toString(), "Exit codes:", "0 success", "2 usage or configuration error");
  }
}
