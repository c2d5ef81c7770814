package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.source.SourceMountMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("watchsync.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private AgentConfig load(String yaml) throws Exception {
    return ConfigLoader.load(write(yaml));
  }

  private String error(String yaml) throws IOException {
    Path file = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    return e.getMessage();
  }

  @Test
  void readsEveryKeyOfACompleteFile() throws Exception {
    AgentConfig c =
        load(
            String.join(
                "\n",
                "# all settings",
                "source: /srv/nfs/export",
                "state_dir: /var/lib/watchsync-test",
                "initial_sync: false",
                "full_sync_interval: 12h",
                "log_level: DEBUG",
                "excludes: [\"*.swp\", \".nfs*\", \"/tmp/\"]",
                "batching: {window: 50ms, max_files: 500, write_grace: 30s, max_pending: 5000}",
                "retry:",
                "  initial_delay: 2s",
                "  max_delay: 5m",
                "rsync:",
                "  binary: /usr/local/bin/rsync",
                "  timeout: 120",
                "  connect_timeout: 5s",
                "  compress: yes",
                "  extra_args: [\"--bwlimit=10m\", \"-H\"]",
                "targets:",
                "  - name: backup1",
                "    url: rsync://watchsync@10.0.0.2/data",
                "    password_file: /etc/watchsync/rsync.secret",
                "    workers: 4",
                "  - url: root@backup2.example.org:/srv/replica",
                "    ssh: \"ssh -p 2222 -i /root/.ssh/watchsync\"",
                "  - /mnt/usb/replica",
                ""));
    assertEquals(Path.of("/srv/nfs/export"), c.source());
    assertEquals(Path.of("/var/lib/watchsync-test"), c.stateDir());
    assertFalse(c.initialSync());
    assertEquals(Duration.ofHours(12), c.fullSyncInterval());
    assertEquals("debug", c.logLevel());
    assertEquals(List.of("*.swp", ".nfs*", "/tmp/"), c.excludes());
    assertEquals(
        new AgentConfig.Batching(Duration.ofMillis(50), 500, Duration.ofSeconds(30), 5000),
        c.batching());
    assertEquals(new AgentConfig.Retry(Duration.ofSeconds(2), Duration.ofMinutes(5)), c.retry());
    assertEquals(
        new AgentConfig.Rsync(
            "/usr/local/bin/rsync",
            Duration.ofSeconds(120),
            Duration.ofSeconds(5),
            true,
            List.of("--bwlimit=10m", "-H")),
        c.rsync());
    assertEquals(
        List.of(
            new TargetConfig(
                "backup1",
                TargetUrl.parse("rsync://watchsync@10.0.0.2/data"),
                Path.of("/etc/watchsync/rsync.secret"),
                4,
                null),
            new TargetConfig(
                "backup2.example.org",
                TargetUrl.parse("root@backup2.example.org:/srv/replica"),
                null,
                2,
                "ssh -p 2222 -i /root/.ssh/watchsync"),
            new TargetConfig("local", TargetUrl.parse("/mnt/usb/replica"), null, 2, null)),
        c.targets());
  }

  @Test
  void leavesOutEverythingButSourceAndTargetsToTheDefaults() throws Exception {
    AgentConfig c = load("source: /srv/data\ntargets:\n  - url: rsync://10.0.0.2/data\n");
    assertEquals(AgentConfig.DEFAULT_STATE_DIR, c.stateDir());
    assertTrue(c.initialSync());
    assertEquals(Duration.ofHours(24), c.fullSyncInterval());
    assertEquals("info", c.logLevel());
    assertEquals(List.of(), c.excludes());
    assertEquals(
        new AgentConfig.Batching(Duration.ofMillis(10), 2000, Duration.ofSeconds(10), 100_000),
        c.batching());
    assertEquals(new AgentConfig.Retry(Duration.ofSeconds(1), Duration.ofSeconds(60)), c.retry());
    assertEquals(
        new AgentConfig.Rsync(
            "rsync", Duration.ofSeconds(60), Duration.ofSeconds(10), false, List.of()),
        c.rsync());
    assertEquals(
        List.of(
            new TargetConfig("10.0.0.2", TargetUrl.parse("rsync://10.0.0.2/data"), null, 2, null)),
        c.targets());
  }

  @Test
  void guardsDefaultToAutoAndAThousandEntriesOrHalfTheTarget() throws Exception {
    AgentConfig c = load("source: /srv/data\ntargets:\n  - url: rsync://10.0.0.2/data\n");
    assertEquals(SourceMountMode.AUTO, c.guards().sourceMount());
    assertEquals(new DeletionBudget(1000, 50), c.guards().maxDelete());
  }

  @Test
  void readsSourceMountAndMaxDeleteInEachForm() throws Exception {
    String base = "source: /srv/data\ntargets:\n  - url: rsync://10.0.0.2/data\n";
    AgentConfig c = load(base + "source_mount: required\nmax_delete: 5000\n");
    assertEquals(SourceMountMode.REQUIRED, c.guards().sourceMount());
    assertEquals(new DeletionBudget(5000, 0), c.guards().maxDelete());
    assertEquals(new DeletionBudget(0, 10), load(base + "max_delete: 10%\n").guards().maxDelete());
    assertEquals(
        new DeletionBudget(200, 5), load(base + "max_delete: 200, 5%\n").guards().maxDelete());
    assertTrue(load(base + "max_delete: 0\n").guards().maxDelete().unlimited());
    assertEquals(SourceMountMode.ANY, load(base + "source_mount: any\n").guards().sourceMount());
  }

  @Test
  void refusesAnUnknownSourceMountOrAnUnreadableMaxDelete() throws Exception {
    String base = "source: /srv/data\ntargets:\n  - url: rsync://10.0.0.2/data\n";
    String mount = error(base + "source_mount: mounted\n");
    assertTrue(
        mount.endsWith(":4: source_mount: must be auto, required or any, got \"mounted\""), mount);
    assertTrue(
        error(base + "max_delete: lots\n")
            .endsWith(
                ":4: max_delete: must be a number of entries, a percentage or both (e.g. \"1000,"
                    + " 50%\", 0 for no limit), got \"lots\""));
    assertTrue(
        error(base + "max_delete: 150%\n")
            .endsWith(":4: max_delete: percentage must be between 0% and 100%, got \"150%\""));
  }

  @Test
  void statusAndCallbacksHaveDefaultsAndReadEveryKey() throws Exception {
    AgentConfig plain = load("source: /srv/data\ntargets:\n  - url: rsync://10.0.0.2/data\n");
    assertEquals(
        new AgentConfig.Status(true, "127.0.0.1", 9873, Duration.ofSeconds(60)), plain.status());
    assertEquals(List.of(), plain.callbacks());

    AgentConfig c =
        load(
            String.join(
                "\n",
                "source: /srv/data",
                "targets: [rsync://10.0.0.2/data]",
                "status: {enabled: false, address: 0.0.0.0, port: 9999, max_lag: 5m}",
                "callbacks:",
                "  - url: https://hooks.example.org/watchsync?x=1",
                "    token_file: /etc/watchsync/hook.token",
                "    timeout: 3s",
                "    retries: 5",
                "    retry_delay: 250ms",
                "    max_delay: 1m",
                "  - url: http://127.0.0.1:8080/sync",
                ""));
    assertEquals(new AgentConfig.Status(false, "0.0.0.0", 9999, Duration.ofMinutes(5)), c.status());
    assertEquals("http://127.0.0.1:9999", c.status().localUrl());
    assertEquals(
        List.of(
            new CallbackConfig(
                java.net.URI.create("https://hooks.example.org/watchsync?x=1"),
                Path.of("/etc/watchsync/hook.token"),
                Duration.ofSeconds(3),
                5,
                Duration.ofMillis(250),
                Duration.ofMinutes(1)),
            new CallbackConfig(
                java.net.URI.create("http://127.0.0.1:8080/sync"),
                null,
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5))),
        c.callbacks());
    assertEquals("https://hooks.example.org/watchsync", c.callbacks().get(0).redacted());
  }

  @Test
  void emptyValuesMeanTheDefault() throws Exception {
    AgentConfig c =
        load(
            "source: /srv/data\nstate_dir:\nfull_sync_interval: ~\nbatching:\n"
                + "targets:\n  - url: rsync://h/m\n    workers:\n");
    assertEquals(AgentConfig.DEFAULT_STATE_DIR, c.stateDir());
    assertEquals(Duration.ofHours(24), c.fullSyncInterval());
    assertEquals(AgentConfig.Batching.DEFAULT, c.batching());
    assertEquals(2, c.targets().get(0).workers());
  }

  @Test
  void zeroFullSyncIntervalTurnsPeriodicFullSyncsOff() throws Exception {
    AgentConfig c = load("source: /srv/data\nfull_sync_interval: 0\ntargets: [rsync://h/m]\n");
    assertEquals(Duration.ZERO, c.fullSyncInterval());
  }

  @Test
  void targetsWithoutNamesAreNamedAfterTheirHostWithoutClashing() throws Exception {
    AgentConfig c =
        load(
            String.join(
                "\n",
                "source: /srv/data",
                "targets:",
                "  - url: rsync://backup@nas.lan/a",
                "  - url: rsync://nas.lan:8873/b",
                "  - name: nas.lan-2",
                "    url: rsync://[fe80::1]/c",
                "  - url: nas.lan:/srv/d",
                ""));
    assertEquals(
        List.of("nas.lan", "nas.lan-3", "nas.lan-2", "nas.lan-4"),
        c.targets().stream().map(TargetConfig::name).toList());
  }

  @Test
  void derivedNamesHoldOnlyNameCharactersAndLeaveRoomForASuffix() throws Exception {
    String longHost = "h".repeat(70);
    AgentConfig c =
        load(
            String.join(
                "\n",
                "source: /srv/data",
                "targets:",
                "  - rsync://ws@[2001:db8::7]:873/a",
                "  - me@[fe80::1%eth0]:/srv/b",
                "  - /mnt/usb/c",
                "  - /mnt/usb/d",
                "  - rsync://" + longHost + "/e",
                "  - " + longHost + ":/srv/f",
                ""));
    assertEquals(
        List.of(
            "2001-db8--7",
            "fe80--1-eth0",
            "local",
            "local-2",
            "h".repeat(60),
            "h".repeat(60) + "-2"),
        c.targets().stream().map(TargetConfig::name).toList());
  }

  @Test
  void targetsCanShareSettingsThroughYamlAnchorsAndMergeKeys() throws Exception {
    AgentConfig c =
        load(
            String.join(
                "\n",
                "source: /srv/data",
                "targets:",
                "  - &daemon",
                "    url: rsync://ws@a/data",
                "    password_file: /etc/watchsync/rsync.secret",
                "    workers: 8",
                "  - <<: *daemon",
                "    url: rsync://ws@b/data",
                "  - <<: *daemon",
                "    url: rsync://ws@c/data",
                "    workers: 1",
                ""));
    assertEquals(
        List.of(
            new TargetConfig(
                "a",
                TargetUrl.parse("rsync://ws@a/data"),
                Path.of("/etc/watchsync/rsync.secret"),
                8,
                null),
            new TargetConfig(
                "b",
                TargetUrl.parse("rsync://ws@b/data"),
                Path.of("/etc/watchsync/rsync.secret"),
                8,
                null),
            new TargetConfig(
                "c",
                TargetUrl.parse("rsync://ws@c/data"),
                Path.of("/etc/watchsync/rsync.secret"),
                1,
                null)),
        c.targets());
  }

  @Test
  void maxDelayBelowAnInitialDelayAboveItsDefaultIsRaised() throws Exception {
    AgentConfig c = load("source: /srv/data\nretry: {initial_delay: 2m}\ntargets: [rsync://h/m]\n");
    assertEquals(Duration.ofMinutes(2), c.retry().maxDelay());
  }

  static Stream<Arguments> invalidFiles() {
    String head = "source: /srv/data\n";
    String target = "targets:\n  - url: rsync://h/m\n";
    return Stream.of(
        Arguments.of(
            "workers out of range, second target",
            head + "targets:\n  - url: rsync://a/m\n  - url: rsync://b/m\n    workers: 0\n",
            ":5: targets[1].workers: must be between 1 and 64, got 0"),
        Arguments.of(
            "workers not a number",
            head + "targets:\n  - url: rsync://a/m\n    workers: two\n",
            ":4: targets[0].workers: must be a whole number, got \"two\""),
        Arguments.of(
            "misspelt key inside a target",
            head + "targets:\n  - url: rsync://a/m\n    wokers: 2\n",
            ":4: targets[0].wokers: unknown key \"wokers\", did you mean \"workers\"? (known: name,"
                + " url, password_file, workers, ssh)"),
        Arguments.of(
            "misspelt top-level key",
            head + "batchng: {window: 1s}\n" + target,
            ":2: batchng: unknown key \"batchng\", did you mean \"batching\"? (known: source,"
                + " state_dir, initial_sync, full_sync_interval, log_level, excludes, batching,"
                + " retry, rsync, targets, status, callbacks, source_mount, max_delete)"),
        Arguments.of(
            "status port out of range",
            head + target + "status:\n  port: 70000\n",
            ":5: status.port: must be between 0 and 65535, got 70000"),
        Arguments.of(
            "status max_lag of zero",
            head + target + "status: {max_lag: 0}\n",
            ":4: status.max_lag: must be more than 0"),
        Arguments.of(
            "callback that is not http",
            head + target + "callbacks:\n  - url: ftp://hooks/x\n",
            ":5: callbacks[0].url: must be an http:// or https:// URL, got \"ftp:…\""),
        Arguments.of(
            "callback with credentials in the URL",
            head + target + "callbacks:\n  - url: https://u:secret@hooks/x\n",
            ":5: callbacks[0].url: the URL holds credentials; put a bearer token in a file"),
        Arguments.of(
            "callback without a URL",
            head + target + "callbacks:\n  - timeout: 5s\n",
            ":5: callbacks[0].url: required"),
        Arguments.of(
            "callback given twice",
            head + target + "callbacks:\n  - url: http://h/x\n  - url: http://h/x\n",
            ":6: callbacks[1].url: the same URL as callbacks[0].url"),
        Arguments.of(
            "callback max_delay below retry_delay",
            head
                + target
                + "callbacks:\n  - url: http://h/x\n    retry_delay: 10s\n"
                + "    max_delay: 1s\n",
            ":7: callbacks[0].max_delay: must be at least retry_delay (10s), got 1s"),
        Arguments.of(
            "unknown key with nothing close",
            head + "color: blue\n" + target,
            ":2: color: unknown key \"color\" (known: source,"),
        Arguments.of(
            "duplicate key",
            head + "log_level: info\n" + target + "log_level: debug\n",
            ":5: log_level: duplicate key (already set on line 2)"),
        Arguments.of(
            "duplicate key in a nested mapping",
            head + "batching:\n  window: 1s\n  window: 2s\n" + target,
            ":4: batching.window: duplicate key (already set on line 3)"),
        Arguments.of(
            "missing source",
            "log_level: info\n" + target,
            ":1: source: required (the directory tree to replicate)"),
        Arguments.of(
            "relative source",
            "source: srv/data\n" + target,
            ":1: source: must be an absolute"
                + " path, got \"srv/data\" (relative paths are not accepted)"),
        Arguments.of(
            "relative state_dir",
            head + "state_dir: state\n" + target,
            ":2: state_dir: must be an absolute path, got \"state\""),
        Arguments.of(
            "state_dir inside the source",
            head + "state_dir: /srv/data/.watchsync\n" + target,
            ":2: state_dir: /srv/data/.watchsync is inside the source /srv/data; journal writes"
                + " would be replicated in a loop"),
        Arguments.of(
            "missing targets", head + "log_level: info\n", ":1: targets: required (at least one"),
        Arguments.of(
            "targets left empty", head + "targets:\n", ":2: targets: required (at least one"),
        Arguments.of(
            "the same URL twice",
            head + "targets:\n  - rsync://h/m\n  - name: again\n    url: rsync://h/m\n",
            ":5: targets[1].url: the same URL as targets[0]"),
        Arguments.of(
            "empty target list", head + "targets: []\n", ":2: targets: at least one target is"),
        Arguments.of(
            "targets not a list",
            head + "targets: rsync://h/m\n",
            ":2: targets: must be a list of targets, got \"rsync://h/m\""),
        Arguments.of(
            "target without url",
            head + "targets:\n  - name: a\n    workers: 2\n",
            ":3: targets[0].url: required (where to replicate to"),
        Arguments.of(
            "URL the transport rejects",
            head + "targets:\n  - name: a\n    url: ftp://h/m\n",
            ":4: targets[0].url: target URL 'ftp://h/m': unsupported scheme; expected"
                + " rsync://[user@]host[:port]/module[/path], [user@]host:/absolute/path or"
                + " /absolute/directory"),
        Arguments.of(
            "password inside the URL",
            head + "targets:\n  - url: rsync://user:s3cret@h/m\n",
            ":3: targets[0].url: the URL holds a password; remove it and put the password in a"
                + " file named by password_file (mode 0600)"),
        Arguments.of(
            "password as a key",
            head + "targets:\n  - url: rsync://user@h/m\n    password: s3cret\n",
            ":4: targets[0].password: passwords are not accepted in the configuration"),
        Arguments.of(
            "local target overlapping the source",
            head + "targets:\n  - url: /srv/data/replica\n",
            ":3: targets[0].url: the local target /srv/data/replica overlaps the source"
                + " /srv/data"),
        Arguments.of(
            "bad target name",
            head + "targets:\n  - name: my backup\n    url: rsync://h/m\n",
            ":3: targets[0].name: may hold only letters, digits, '.', '_' and '-', got \"my"
                + " backup\""),
        Arguments.of(
            "duplicate target name",
            head
                + "targets:\n  - name: b\n    url: rsync://a/m\n  - name: b\n    url:"
                + " rsync://c/m\n",
            ":5: targets[1].name: \"b\" is already the name of targets[0]"),
        Arguments.of(
            "relative password file",
            head + "targets:\n  - url: rsync://h/m\n    password_file: rsync.secret\n",
            ":4: targets[0].password_file: must be an absolute path, got \"rsync.secret\""),
        Arguments.of(
            "password file on an ssh target",
            head + "targets:\n  - url: h:/srv/r\n    password_file: /etc/secret\n",
            ":4: targets[0].password_file: only rsync daemon targets (rsync://…) use a password"
                + " file; this target is reached over ssh"),
        Arguments.of(
            "ssh on a daemon target",
            head + "targets:\n  - url: rsync://h/m\n    ssh: ssh -p 2222\n",
            ":4: targets[0].ssh: only ssh targets (user@host:/path) use ssh; this target is an"
                + " rsync daemon"),
        Arguments.of(
            "window too long",
            head + "batching:\n  window: 20s\n" + target,
            ":3: batching.window: must be at most 10s, got 20s (it delays every change)"),
        Arguments.of(
            "max_files out of range",
            head + "batching:\n  max_files: 200000\n" + target,
            ":3: batching.max_files: must be between 1 and 100000, got 200000"),
        Arguments.of(
            "negative duration",
            head + "batching:\n  write_grace: -1s\n" + target,
            ":3: batching.write_grace: negative duration \"-1s\""),
        Arguments.of(
            "duration without unit letter understood",
            head + "full_sync_interval: 2 weeks\n" + target,
            ":2: full_sync_interval: not a duration: \"2 weeks\"; use a number with a unit:"),
        Arguments.of(
            "zero initial retry delay",
            head + "retry: {initial_delay: 0}\n" + target,
            ":2: retry.initial_delay: must be more than 0"),
        Arguments.of(
            "max delay below initial delay",
            head + "retry:\n  initial_delay: 10s\n  max_delay: 5s\n" + target,
            ":4: retry.max_delay: must be at least retry.initial_delay (10s), got 5s"),
        Arguments.of(
            "sub-second rsync timeout",
            head + "rsync: {timeout: 1500ms}\n" + target,
            ":2: rsync.timeout: must be whole seconds (rsync counts in seconds), got 1500ms"),
        Arguments.of(
            "relative rsync binary",
            head + "rsync: {binary: bin/rsync}\n" + target,
            ":2: rsync.binary: must be a command name found on PATH or an absolute path"),
        Arguments.of(
            "--delete in extra_args",
            head + "rsync:\n  extra_args:\n    - -H\n    - --delete-after\n" + target,
            ":5: rsync.extra_args[1]: \"--delete-after\" is managed by watchsync"),
        Arguments.of(
            "--password-file in extra_args",
            head + "rsync: {extra_args: [\"--password-file=/x\"]}\n" + target,
            ":2: rsync.extra_args[0]: \"--password-file=/x\" is managed by watchsync"),
        Arguments.of(
            "--remove-source-files in extra_args",
            head + "rsync: {extra_args: [--remove-source-files]}\n" + target,
            ":2: rsync.extra_args[0]: \"--remove-source-files\" is managed by watchsync"),
        Arguments.of(
            "-e in a short option cluster",
            head + "rsync: {extra_args: [-ve, ssh]}\n" + target,
            ":2: rsync.extra_args[0]: \"-ve\" is managed by watchsync"),
        Arguments.of(
            "--rsh in extra_args",
            head + "rsync: {extra_args: [\"--rsh=ssh -p 2\"]}\n" + target,
            ":2: rsync.extra_args[0]: \"--rsh=ssh -p 2\" is managed by watchsync"),
        Arguments.of(
            "--exclude in extra_args",
            head + "rsync: {extra_args: [\"--exclude=*.o\"]}\n" + target,
            ":2: rsync.extra_args[0]: \"--exclude=*.o\" cannot be set here; put exclude patterns"
                + " in the excludes setting"),
        Arguments.of(
            "extra_args as one string",
            head + "rsync: {extra_args: \"-H -X\"}\n" + target,
            ":2: rsync.extra_args: must be a list such as [\"a\", \"b\"], got \"-H -X\""),
        Arguments.of(
            "unknown log level",
            head + "log_level: verbose\n" + target,
            ":2: log_level: unknown log level \"verbose\" (use error, warn, info or debug)"),
        Arguments.of(
            "boolean given as a word",
            head + "initial_sync: maybe\n" + target,
            ":2: initial_sync: must be true or false, got \"maybe\""),
        Arguments.of(
            "mapping where a value belongs",
            head + "log_level: {level: info}\n" + target,
            ":2: log_level: must be a single value, got a mapping"),
        Arguments.of(
            "value where a mapping belongs",
            head + "batching: fast\n" + target,
            ":2: batching: must be a mapping of settings (key: value), got \"fast\""),
        Arguments.of(
            "include rule among the excludes",
            head + "excludes:\n  - \"*.o\"\n  - \"+ keep.o\"\n" + target,
            ":4: excludes[1]: exclude pattern \"+ keep.o\" would be read by rsync as an include"),
        Arguments.of(
            "unclosed bracket in an exclude",
            head + "excludes: [\"*.[ch\"]\n" + target,
            ":2: excludes[0]: exclude pattern \"*.[ch\" has a [ that is never closed by ]"),
        Arguments.of(
            "top level is a list",
            "- source: /srv/data\n",
            ":1: the file must be a mapping of settings (key: value), got a list"),
        Arguments.of("YAML syntax error", head + "targets: [rsync://h/m\n", ":3: not valid YAML: "),
        Arguments.of(
            "tab indentation",
            head + "batching:\n\twindow: 1s\n" + target,
            ":3: not valid YAML: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void anInvalidFileIsReportedWithFileLineAndKey(String what, String yaml, String expected)
      throws Exception {
    String message = error(yaml);
    String prefix = dir.resolve("watchsync.yml") + expected;
    assertTrue(message.startsWith(prefix), () -> "expected\n  " + prefix + "\ngot\n  " + message);
    assertFalse(message.contains("\n"), "one line: " + message);
  }

  @Test
  void secretsInTheFileNeverAppearInMessages() throws Exception {
    String message = error("source: /srv/data\ntargets:\n  - url: rsync://u:hunter2@h/m\n");
    assertFalse(message.contains("hunter2"), message);
    message = error("source: /srv/data\ntargets:\n  - url: rsync://u@h/m\n    password: hunter2\n");
    assertFalse(message.contains("hunter2"), message);
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = dir.resolve("absent.yml");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void aDirectoryIsNotAConfigurationFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
    assertEquals(dir + ": is a directory, not a configuration file", e.getMessage());
  }

  @Test
  void aDeviceOrHugeFileIsNotReadToTheEnd() {
    Path zero = Path.of("/dev/zero");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(zero));
    assertEquals("/dev/zero: larger than 1024 KiB; not a configuration file", e.getMessage());
  }

  @Test
  void anEmptyFileSaysWhatItNeeds() throws Exception {
    assertEquals(
        dir.resolve("watchsync.yml") + ": the file is empty; it needs at least source and targets",
        error(""));
    assertEquals(
        dir.resolve("watchsync.yml") + ": the file is empty; it needs at least source and targets",
        error("# only a comment\n\n"));
  }

  @Test
  void aFileThatIsNotUtf8IsRejected() throws Exception {
    Path file = dir.resolve("latin1.yml");
    Files.write(file, new byte[] {'s', 'o', 'u', 'r', 'c', 'e', ':', ' ', '/', (byte) 0xe9});
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
    assertEquals(file + ": not UTF-8 text", e.getMessage());
  }

  @Test
  void anUnreadableFileIsReported() throws Exception {
    Path file = write("source: /srv/data\n");
    Files.setPosixFilePermissions(file, java.util.Set.of());
    // root reads anything: only check the message when the permission really bites
    if (!Files.isReadable(file)) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
      assertEquals(file + ": permission denied", e.getMessage());
    }
  }

  @Test
  void theShippedExampleLoads() throws Exception {
    Path example = Path.of("..", "packaging", "watchsync.yml");
    AgentConfig c = ConfigLoader.load(example);
    assertEquals(Path.of("/srv/nfs/export"), c.source());
    assertFalse(c.targets().isEmpty());
    assertNull(c.targets().get(0).ssh());
    assertEquals(AgentConfig.Guards.DEFAULT, c.guards());
  }

  @Test
  void theShippedCommentedOutStatusAndCallbacksExamplesLoadOnceUncommented() throws Exception {
    String example = Files.readString(Path.of("..", "packaging", "watchsync.yml"));
    StringBuilder yaml = new StringBuilder(example);
    boolean inExamples = false;
    for (String line : example.lines().toList()) {
      inExamples |= line.equals("# status:") || line.equals("# callbacks:");
      String uncommented = line.startsWith("# ") ? line.substring(2) : "";
      if (inExamples && uncommented.strip().matches("(- )?[a-z_]+:.*")) {
        yaml.append(uncommented).append('\n');
      }
    }
    AgentConfig c = load(yaml.toString());
    assertEquals(AgentConfig.Status.DEFAULT, c.status());
    assertEquals(1, c.callbacks().size());
    assertEquals(Path.of("/etc/watchsync/hook.token"), c.callbacks().get(0).tokenFile());
    assertEquals(CallbackConfig.DEFAULT_MAX_DELAY, c.callbacks().get(0).maxDelay());
  }
}
