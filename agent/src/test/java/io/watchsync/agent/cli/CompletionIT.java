package io.watchsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code watchsync completion}, loaded into a real bash. */
@EnabledOnOs(OS.LINUX)
class CompletionIT {
  /** The script the packages install, kept in the repository (tests run in agent/). */
  static final Path SHIPPED =
      Path.of("..", "packaging", "watchsync.bash-completion").toAbsolutePath().normalize();

  @TempDir Path dir;

  private static String completionScript() {
    StringWriter out = new StringWriter();
    assertEquals(
        0,
        WatchsyncCommand.run(
            new PrintWriter(out, true), new PrintWriter(new StringWriter()), "completion"));
    return out.toString();
  }

  /** Runs {@code script} in bash after loading the output of {@code watchsync completion}. */
  private String bash(String script) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String watchsync =
        String.join(
            " ",
            shellQuote(java),
            "-cp",
            shellQuote(System.getProperty("java.class.path")),
            WatchsyncCommand.class.getName());
    List<String> command =
        new ArrayList<>(
            Arrays.asList(
                "/bin/bash",
                "--noprofile",
                "--norc",
                "-c",
                "source <(" + watchsync + " completion) && " + script));
    // Outside an interactive completion, compopt complains on stderr; only stdout is the answer.
    Path errors = dir.resolve("bash.err");
    Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash did not finish");
    assertEquals(0, p.exitValue(), output + Files.readString(errors));
    return output;
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** What bash offers after {@code line} (the cursor at its end). */
  private String complete(String line) throws IOException, InterruptedException {
    return bash(
        "COMP_LINE='"
            + line
            + "'; COMP_POINT=${#COMP_LINE}; read -r -a COMP_WORDS <<< \"$COMP_LINE\";"
            + (line.endsWith(" ") ? " COMP_WORDS+=('');" : "")
            + " COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
            + " fn=$(complete -p watchsync | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p');"
            + " \"$fn\" watchsync \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\";"
            + " printf '%s\\n' \"${COMPREPLY[@]}\"");
  }

  @Test
  void theScriptRegistersACompletionForWatchsync() throws Exception {
    String registered = bash("complete -p watchsync");
    assertTrue(registered.startsWith("complete "), registered);
    assertTrue(registered.strip().endsWith(" watchsync"), registered);
  }

  @Test
  void completingRuOffersRun() throws Exception {
    assertEquals(List.of("run"), complete("watchsync ru").lines().map(String::strip).toList());
  }

  @Test
  void completingAfterTheCommandOffersEveryCommand() throws Exception {
    List<String> offered = complete("watchsync ").lines().map(String::strip).toList();
    for (String command : List.of("run", "check", "import-sersync", "version", "completion")) {
      assertTrue(offered.contains(command), command + " in " + offered);
    }
  }

  @Test
  void completingAnOptionOfRunOffersItsLongOptions() throws Exception {
    List<String> offered = complete("watchsync run --no").lines().map(String::strip).toList();
    assertEquals(List.of("--no-initial-sync"), offered);
  }

  /** The packages ship packaging/watchsync.bash-completion: it must be what the commands say. */
  @Test
  void theShippedScriptIsUpToDate() throws IOException {
    assertTrue(Files.isRegularFile(SHIPPED), SHIPPED + " is missing");
    assertEquals(
        completionScript(),
        Files.readString(SHIPPED),
        SHIPPED
            + " is stale: regenerate it with"
            + " java -jar agent/target/watchsync.jar completion > packaging/watchsync.bash-completion");
  }
}
