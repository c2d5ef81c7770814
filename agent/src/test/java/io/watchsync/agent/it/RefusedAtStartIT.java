package io.watchsync.agent.it;

import static io.watchsync.agent.it.ReloadFixture.awaitFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What could never work is refused before anything runs: a password file rsync would refuse, a
 * source that is not a directory. The command exits 2 with one line naming the file, line and key
 * (or the option), no rsync runs and the target stays untouched; a reload naming such a file keeps
 * the running configuration.
 */
@EnabledOnOs(OS.LINUX)
class RefusedAtStartIT {
  @TempDir Path work;
  ReloadFixture f;
  Path state;
  Process agent;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    f = new ReloadFixture(work);
    f.status = "{enabled: false}";
    state = f.state;
    Files.writeString(f.source.resolve("a.txt"), "must not be sent");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    f.close();
  }

  private int watchsync(String... args) {
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** A copy of the daemon's password file with {@code mode}. */
  private Path passwordFile(String name, String mode) throws IOException {
    Path p = work.resolve(name);
    Files.copy(f.first.clientPasswordFile(), p);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }

  /** The configuration file with the first daemon as target, its password file replaced. */
  private void configWithPasswordFile(Path passwordFile) throws IOException {
    f.writeConfig(List.of(), f.first);
    String text = Files.readString(f.config);
    Files.writeString(
        f.config, text.replace(f.first.clientPasswordFile().toString(), passwordFile.toString()));
  }

  /** The line of the configuration file that holds {@code text}, counted from 1. */
  private int lineOf(String text) throws IOException {
    List<String> lines = Files.readAllLines(f.config);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + lines);
  }

  /** Nothing ran: no journal was made and the module is as it was, empty. */
  private void assertNothingRan(RsyncDaemon daemon) throws IOException {
    assertFalse(Files.exists(state), () -> "no state directory: " + state);
    try (Stream<Path> s = Files.list(daemon.replicaDir())) {
      assertEquals(List.of(), s.toList(), "the target is untouched");
    }
    assertEquals("", out.toString());
    assertFalse(err.toString().contains(daemon.password()), "the password is never shown");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "check"})
  void aPasswordFileOthersCanReadIsRefusedWithExitTwoNamingFileLineAndKey(String command)
      throws Exception {
    Path open = passwordFile("open.password", "rw-r--r--");
    configWithPasswordFile(open);

    int code = watchsync(command, "-c", f.config.toString());

    assertEquals(2, code, err::toString);
    assertEquals(
        "watchsync: "
            + f.config
            + ":"
            + lineOf("password_file:")
            + ": targets[0].password_file: "
            + open
            + ": mode 0644, rsync refuses a password file others can read (chmod 600)\n",
        err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aMissingPasswordFileIsRefusedInTheFileAndInTheQuickForm() throws Exception {
    Path missing = work.resolve("missing.password");
    configWithPasswordFile(missing);

    assertEquals(2, watchsync("run", "-c", f.config.toString()), err::toString);
    assertEquals(
        "watchsync: "
            + f.config
            + ":"
            + lineOf("password_file:")
            + ": targets[0].password_file: "
            + missing
            + ": no such file\n",
        err.toString());
    assertNothingRan(f.first);

    err.getBuffer().setLength(0);
    int code = runQuickForm(f.source, missing);
    assertEquals(2, code, err::toString);
    assertEquals("watchsync: --password-file " + missing + ": no such file\n", err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aPasswordFileOthersCanReadIsRefusedInTheQuickForm() throws Exception {
    Path open = passwordFile("open.password", "rw----r--");

    int code = runQuickForm(f.source, open);

    assertEquals(2, code, err::toString);
    assertEquals(
        "watchsync: --password-file "
            + open
            + ": mode 0604, rsync refuses a password file others can read (chmod 600)\n",
        err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aPasswordFileRootDoesNotOwnIsRefusedWhenRunningAsRoot() throws Exception {
    Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "rsync's owner rule is for root");
    Path foreign = passwordFile("foreign.password", "rw-------");
    Files.setAttribute(foreign, "unix:uid", 65534);
    configWithPasswordFile(foreign);

    int code = watchsync("run", "-c", f.config.toString());

    assertEquals(2, code, err::toString);
    assertEquals(
        "watchsync: "
            + f.config
            + ":"
            + lineOf("password_file:")
            + ": targets[0].password_file: "
            + foreign
            + ": owned by uid 65534, rsync run by root refuses a password file root does not own"
            + " (chown root)\n",
        err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aSourceThatDoesNotExistIsRefusedInTheFileAndInTheQuickForm() throws Exception {
    f.writeConfig(List.of(), f.first);
    Path gone = work.resolve("gone");
    Files.writeString(
        f.config, Files.readString(f.config).replace("source: " + f.source, "source: " + gone));

    assertEquals(2, watchsync("run", "-c", f.config.toString()), err::toString);
    assertEquals(
        "watchsync: " + f.config + ":1: source: " + gone + ": no such directory\n", err.toString());
    assertNothingRan(f.first);

    err.getBuffer().setLength(0);
    int code = runQuickForm(gone, f.first.clientPasswordFile());
    assertEquals(2, code, err::toString);
    assertEquals("watchsync: --source " + gone + ": no such directory\n", err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aSourceThatIsAFileIsRefused() throws Exception {
    Path file = f.source.resolve("a.txt");
    int code = runQuickForm(file, f.first.clientPasswordFile());
    assertEquals(2, code, err::toString);
    assertEquals("watchsync: --source " + file + ": not a directory\n", err.toString());
    assertNothingRan(f.first);
  }

  @Test
  void aReloadNamingAPasswordFileOthersCanReadKeepsTheRunningConfiguration() throws Exception {
    f.writeConfig(List.of(), f.first);
    agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WatchsyncCommand.class.getName(),
                "run",
                "-c",
                f.config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("agent.log").toFile())
            .start();
    awaitFile(f.first, "a.txt");

    Path open = passwordFile("open.password", "rw-r--r--");
    configWithPasswordFile(open);
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start();
    assertEquals(0, kill.waitFor());
    String refusal =
        "reload failed, the running configuration stays in force: "
            + f.config
            + ":"
            + lineOf("password_file:")
            + ": targets[0].password_file: "
            + open
            + ": mode 0644, rsync refuses a password file others can read (chmod 600)";
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> log().contains(refusal),
        () -> "the reload to be refused:\n" + log());

    Files.writeString(f.source.resolve("after-refused-reload.txt"), "still replicated");
    awaitFile(f.first, "after-refused-reload.txt");
    assertTrue(agent.isAlive(), this::log);
    assertFalse(log().contains(f.first.password()), "the password is never logged");
  }

  private String log() {
    try {
      return Files.readString(work.resolve("agent.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** {@code watchsync run} in the quick form, replicating {@code source} to the first daemon. */
  private int runQuickForm(Path source, Path passwordFile) {
    return watchsync(
        "run",
        "--source",
        source.toString(),
        "--target",
        f.first.url(),
        "--password-file",
        passwordFile.toString(),
        "--state-dir",
        state.toString());
  }
}
