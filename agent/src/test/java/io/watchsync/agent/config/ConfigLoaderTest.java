package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.transport.TargetUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path file(String... lines) throws Exception {
    Path f = dir.resolve("watchsync.yml");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  private AgentConfig load(Path f) throws ConfigException {
    return ConfigLoader.load(f, TargetUrl::parse);
  }

  private String error(String... lines) throws Exception {
    Path f = file(lines);
    return assertThrows(ConfigException.class, () -> load(f)).getMessage();
  }

  @Test
  void everyKeyIsRead() throws Exception {
    AgentConfig c =
        load(
            file(
                "source: /srv/nfs/export",
                "state_dir: /var/lib/ws",
                "initial_sync: false",
                "full_sync_interval: 12h",
                "log_level: debug",
                "excludes: ['*.swp', '.nfs*', /tmp/]",
                "batching: {window: 50ms, max_files: 100, write_grace: 3s}",
                "retry: {initial_delay: 2s, max_delay: 5m}",
                "rsync:",
                "  binary: /usr/local/bin/rsync",
                "  timeout: 60s",
                "  connect_timeout: 5s",
                "  compress: true",
                "  extra_args: [--bwlimit=10m]",
                "targets:",
                "  - name: backup1",
                "    url: rsync://watchsync@10.0.0.2/data",
                "    password_file: /etc/watchsync/rsync.secret",
                "    workers: 4",
                "  - url: root@10.0.0.3:/srv/replica",
                "    ssh: ssh -p 2222"));
    assertEquals(Path.of("/srv/nfs/export"), c.source());
    assertEquals(Path.of("/var/lib/ws"), c.stateDir());
    assertFalse(c.initialSync());
    assertEquals(Duration.ofHours(12), c.fullSyncInterval());
    assertEquals("debug", c.logLevel());
    assertEquals(List.of("*.swp", ".nfs*", "/tmp/"), c.excludes());
    assertEquals(
        new AgentConfig.Batching(Duration.ofMillis(50), 100, Duration.ofSeconds(3)), c.batching());
    assertEquals(new AgentConfig.Retry(Duration.ofSeconds(2), Duration.ofMinutes(5)), c.retry());
    assertEquals(
        new AgentConfig.Rsync(
            "/usr/local/bin/rsync",
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            true,
            List.of("--bwlimit=10m")),
        c.rsync());
    assertEquals(
        new TargetConfig(
            "backup1",
            "rsync://watchsync@10.0.0.2/data",
            Path.of("/etc/watchsync/rsync.secret"),
            4,
            null),
        c.targets().get(0));
    assertEquals(
        new TargetConfig("10.0.0.3", "root@10.0.0.3:/srv/replica", null, 2, "ssh -p 2222"),
        c.targets().get(1));
  }

  @Test
  void defaultsFillWhatIsLeftOut() throws Exception {
    AgentConfig c = load(file("source: /data", "targets:", "  - url: /mnt/replica"));
    assertEquals(AgentConfig.DEFAULT_STATE_DIR, c.stateDir());
    assertTrue(c.initialSync());
    assertEquals(Duration.ofHours(24), c.fullSyncInterval());
    assertEquals(AgentConfig.Batching.DEFAULTS, c.batching());
    assertEquals(AgentConfig.Retry.DEFAULTS, c.retry());
    assertEquals(AgentConfig.Rsync.DEFAULTS, c.rsync());
    assertEquals("info", c.logLevel());
    assertEquals(List.of(new TargetConfig("local", "/mnt/replica", null, 2, null)), c.targets());
  }

  @Test
  void anUnknownKeyIsNamedWithItsLineAndTheKnownKeys() throws Exception {
    String e = error("source: /data", "targets:", "  - url: /mnt/replica", "    wokers: 2");
    assertTrue(
        e.startsWith(dir.resolve("watchsync.yml") + ":4: targets[0].wokers: unknown key"), e);
    assertTrue(e.contains("workers"), e);
  }

  @Test
  void aKeyGivenTwiceIsAnError() throws Exception {
    String e = error("source: /data", "source: /other", "targets: [{url: /mnt/r}]");
    assertTrue(e.endsWith(":2: source: given twice"), e);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "workers: 0|:4: targets[0].workers: must be between 1 and 64, got 0",
        "workers: many|:4: targets[0].workers: must be a whole number, got \"many\"",
        "password_file: relative/pw|:4: targets[0].password_file: must be an absolute path",
        "password_file: /etc/pw|:4: targets[0].password_file: only rsync:// (daemon) targets",
        "name: 'has space'|:4: targets[0].name: use 1 to 64 letters",
        "ssh: ssh -p 2|:4: targets[0].ssh: only ssh targets",
      })
  void aBadTargetValueIsNamedWithItsLine(String line, String expected) throws Exception {
    String e = error("source: /data", "targets:", "  - url: /mnt/replica", "    " + line);
    assertTrue(e.contains(expected), e);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "source: data|:1: source: must be an absolute path, got \"data\"",
        "full_sync_interval: soon|:1: full_sync_interval: not a duration: \"soon\"",
        "full_sync_interval: 10s|:1: full_sync_interval: must be 0 (off) or at least 1m",
        "log_level: loud|:1: log_level: must be one of error, warn, info, debug",
        "initial_sync: maybe|:1: initial_sync: must be true or false",
        "batching: {window: 1m}|:1: batching.window: must be between 0s and 10s, got 1m",
        "rsync: {extra_args: [--delete-after]}|:1: rsync.extra_args[0]: \"--delete-after\" is managed",
        "rsync: {extra_args: [-e, ssh]}|:1: rsync.extra_args[0]: \"-e\" is managed",
        "excludes: ['[abc']|:1: excludes[0]: exclude pattern \"[abc\": unterminated",
        "retry: {initial_delay: 2m, max_delay: 1m}|:1: retry.max_delay: max_delay must not be shorter",
      })
  void aBadValueIsNamedWithItsLine(String line, String expected) throws Exception {
    String head = line.startsWith("source:") ? line : "source: /data";
    String e =
        line.startsWith("source:")
            ? error(head, "targets: [{url: /mnt/r}]")
            : error(line, "source: /data", "targets: [{url: /mnt/r}]");
    assertTrue(e.contains(expected), e);
  }

  @Test
  void aBadTargetUrlIsNamedWithItsLine() throws Exception {
    String e = error("source: /data", "targets:", "  - url: rsync://u:secret@host/m");
    assertTrue(e.contains(":3: targets[0].url: "), e);
    assertFalse(e.contains("secret"), "a password in a URL is never echoed: " + e);
  }

  @Test
  void missingSourceOrTargetsAreNamed() throws Exception {
    assertTrue(error("targets: [{url: /mnt/r}]").contains("source: missing"));
    assertTrue(error("source: /data").contains("targets: missing"));
    assertTrue(error("source: /data", "targets: []").contains("targets: needs at least one"));
  }

  @Test
  void twoTargetsCannotShareAName() throws Exception {
    String e =
        error(
            "source: /data",
            "targets:",
            "  - {name: b, url: /mnt/a}",
            "  - {name: b, url: /mnt/b}");
    assertTrue(e.contains(":4: targets[1].name: \"b\" is already the name"), e);
  }

  @Test
  void unnamedTargetsOnTheSameHostGetDistinctNames() throws Exception {
    AgentConfig c =
        load(
            file(
                "source: /data",
                "targets:",
                "  - url: rsync://u@backup/one",
                "  - url: rsync://u@backup:8730/two"));
    assertEquals("backup", c.targets().get(0).name());
    assertEquals("backup-2", c.targets().get(1).name());
  }

  @Test
  void aMissingEmptyOrBrokenFileIsAClearError() throws Exception {
    Path missing = dir.resolve("nope.yml");
    assertEquals(
        missing + ": no such file",
        assertThrows(ConfigException.class, () -> load(missing)).getMessage());
    assertTrue(error("").contains("empty"));
    assertTrue(error("source: [unclosed").contains(":2: not valid YAML"));
    assertTrue(error("- just", "- a list").contains("must be a mapping"));
  }

  @Test
  void stateDirectoriesDifferPerSourceAndTargetAndStayStable() throws Exception {
    AgentConfig a = load(file("source: /data", "targets: [{name: t, url: /mnt/a}]"));
    AgentConfig b = load(file("source: /other", "targets: [{name: t, url: /mnt/a}]"));
    AgentConfig c = load(file("source: /data", "targets: [{name: t, url: /mnt/b}]"));
    Path sa = a.stateDirFor(a.targets().get(0));
    assertTrue(sa.getFileName().toString().matches("t-[0-9a-f]{16}"), sa.toString());
    assertEquals(
        sa,
        load(file("source: /data/", "targets: [{name: t, url: /mnt/a}]"))
            .stateDirFor(a.targets().get(0)));
    assertNotEquals(sa, b.stateDirFor(b.targets().get(0)));
    assertNotEquals(sa, c.stateDirFor(c.targets().get(0)));
  }

  @Test
  void theQuickFormUsesDefaultsAndGivesThePasswordToDaemonTargetsOnly() throws Exception {
    AgentConfig c =
        AgentConfig.quick(
            Path.of("/data"),
            List.of("rsync://u@b1/m", "/mnt/local"),
            Path.of("/etc/pw"),
            List.of("*.tmp"),
            TargetUrl::parse);
    assertEquals(Path.of("/etc/pw"), c.targets().get(0).passwordFile());
    assertNull(c.targets().get(1).passwordFile());
    assertEquals(List.of("*.tmp"), c.excludes());
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                AgentConfig.quick(
                    Path.of("/data"), List.of("ftp://x"), null, List.of(), TargetUrl::parse));
    assertTrue(e.getMessage().startsWith("--target ftp://x: "), e.getMessage());
  }

  @Test
  void theAnnotatedExampleInPackagingIsValid() throws Exception {
    Path example = Path.of("..", "packaging", "watchsync.yml");
    AgentConfig c = load(example);
    assertFalse(c.targets().isEmpty());
  }
}
