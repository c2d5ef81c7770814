package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  private static final Path SECRET = Path.of("/etc/watchsync/rsync.secret");

  private static AgentConfig quick(String... urls) throws ConfigException {
    return AgentConfig.quick(Path.of("/srv/data"), List.of(urls), null, List.of());
  }

  @Test
  void quickFormTakesEveryDefaultAndNamesTargetsAfterTheirHost() throws Exception {
    AgentConfig c =
        AgentConfig.quick(
            Path.of("/srv/data"),
            List.of("rsync://ws@nas/a", "rsync://nas:8873/b", "root@offsite:/srv/r"),
            SECRET,
            List.of("*.tmp", "cache/"));
    assertEquals(Path.of("/srv/data"), c.source());
    assertEquals(AgentConfig.DEFAULT_STATE_DIR, c.stateDir());
    assertTrue(c.initialSync());
    assertEquals(AgentConfig.DEFAULT_FULL_SYNC_INTERVAL, c.fullSyncInterval());
    assertEquals(AgentConfig.Batching.DEFAULT, c.batching());
    assertEquals(AgentConfig.Retry.DEFAULT, c.retry());
    assertEquals(AgentConfig.Rsync.DEFAULT, c.rsync());
    assertEquals("info", c.logLevel());
    assertEquals(List.of("*.tmp", "cache/"), c.excludes());
    assertEquals(
        List.of(
            new TargetConfig("nas", TargetUrl.parse("rsync://ws@nas/a"), SECRET, 2, null),
            new TargetConfig("nas-2", TargetUrl.parse("rsync://nas:8873/b"), SECRET, 2, null),
            new TargetConfig("offsite", TargetUrl.parse("root@offsite:/srv/r"), null, 2, null)),
        c.targets());
  }

  @Test
  void quickFormResolvesRelativePathsAgainstTheWorkingDirectory() throws Exception {
    AgentConfig c =
        AgentConfig.quick(
            Path.of("data/../export"), List.of("rsync://h/m"), Path.of("secret"), List.of());
    assertEquals(Path.of("export").toAbsolutePath(), c.source());
    assertEquals(Path.of("secret").toAbsolutePath(), c.targets().get(0).passwordFile());
  }

  @Test
  void quickFormRejectsWhatTheFileFormRejects() {
    ConfigException bad =
        assertThrows(ConfigException.class, () -> quick("rsync://h/m", "ftp://h/m"));
    assertEquals(
        "--target ftp://h/m: target URL 'ftp://h/m': unsupported scheme; expected"
            + " rsync://[user@]host[:port]/module[/path], [user@]host:/absolute/path or"
            + " /absolute/directory",
        bad.getMessage());

    ConfigException secret = assertThrows(ConfigException.class, () -> quick("rsync://u:pw@h/m"));
    assertEquals(
        "--target rsync://u:***@h/m: the URL holds a password; remove it and put the password in"
            + " a file named by password_file (mode 0600)",
        secret.getMessage());
    assertFalse(secret.getMessage().contains(":pw@"));

    ConfigException overlap = assertThrows(ConfigException.class, () -> quick("/srv/data/copy"));
    assertTrue(overlap.getMessage().contains("overlaps the source /srv/data"));

    ConfigException exclude =
        assertThrows(
            ConfigException.class,
            () ->
                AgentConfig.quick(
                    Path.of("/srv/data"), List.of("rsync://h/m"), null, List.of("[oops")));
    assertEquals(
        "--exclude: exclude pattern \"[oops\" has a [ that is never closed by ], so rsync would"
            + " never match it",
        exclude.getMessage());

    ConfigException twice =
        assertThrows(ConfigException.class, () -> quick("rsync://h/m", "rsync://h/m"));
    assertEquals("--target rsync://h/m: given twice", twice.getMessage());

    ConfigException noTarget =
        assertThrows(
            ConfigException.class,
            () -> AgentConfig.quick(Path.of("/srv/data"), List.of(), null, List.of()));
    assertEquals("--source needs at least one --target", noTarget.getMessage());
  }

  @Test
  void quickFormGivesThePasswordFileOnlyToDaemonTargets() throws Exception {
    AgentConfig c =
        AgentConfig.quick(
            Path.of("/srv/data"),
            List.of("h:/srv/r", "rsync://h/m", "/mnt/copy"),
            SECRET,
            List.of());
    assertNull(c.targets().get(0).passwordFile());
    assertEquals(SECRET, c.targets().get(1).passwordFile());
    assertNull(c.targets().get(2).passwordFile());

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> AgentConfig.quick(Path.of("/srv/data"), List.of("h:/srv/r"), SECRET, List.of()));
    assertTrue(e.getMessage().startsWith("--password-file: only rsync daemon targets"));
  }

  @Test
  void stateDirectoryIsStableForTheSameSourceAndTarget() throws Exception {
    AgentConfig a = quick("rsync://h/m");
    AgentConfig b = quick("rsync://h/m");
    TargetConfig t = a.targets().get(0);
    assertEquals(a.stateDirFor(t), b.stateDirFor(b.targets().get(0)));
    assertEquals(a.stateDirFor(t), a.stateDirFor(t));
    Path dir = a.stateDirFor(t);
    assertEquals(AgentConfig.DEFAULT_STATE_DIR, dir.getParent());
    assertTrue(dir.getFileName().toString().matches("h-[0-9a-f]{16}"), dir.toString());
  }

  @Test
  void stateDirectoryDiffersForAnotherSourceOrTarget() throws Exception {
    AgentConfig a = quick("rsync://h/m", "rsync://h/other");
    AgentConfig otherSource =
        AgentConfig.quick(Path.of("/srv/data2"), List.of("rsync://h/m"), null, List.of());
    List<Path> dirs = new ArrayList<>();
    for (TargetConfig t : a.targets()) {
      dirs.add(a.stateDirFor(t));
    }
    dirs.add(otherSource.stateDirFor(otherSource.targets().get(0)));
    assertEquals(3, dirs.stream().distinct().count(), dirs.toString());
    // Same name, same state dir root, different URL: still apart.
    TargetConfig renamedUrl = new TargetConfig("h", TargetUrl.parse("rsync://h/m2"), null, 2, null);
    assertNotEquals(a.stateDirFor(a.targets().get(0)), a.stateDirFor(renamedUrl));
  }

  @Test
  void stateDirectoryIgnoresHowTheSourceIsSpelt() throws Exception {
    AgentConfig plain = quick("rsync://h/m");
    AgentConfig spelt =
        new AgentConfig(
            Path.of("/srv/./x/../data"),
            plain.stateDir(),
            true,
            plain.fullSyncInterval(),
            List.of(),
            plain.batching(),
            plain.retry(),
            plain.rsync(),
            "info",
            plain.targets(),
            plain.status(),
            plain.callbacks(),
            plain.guards());
    TargetConfig t = plain.targets().get(0);
    assertEquals(plain.stateDirFor(t), spelt.stateDirFor(t));
  }

  @Test
  void withersChangeOnlyTheirSetting() throws Exception {
    AgentConfig c = quick("rsync://h/m");
    AgentConfig moved = c.withStateDir(Path.of("/tmp/state"));
    assertEquals(Path.of("/tmp/state"), moved.stateDir());
    assertEquals(c.withStateDir(Path.of("/tmp/state")), moved);
    assertEquals(c, moved.withStateDir(c.stateDir()));
    AgentConfig noInitial = c.withInitialSync(false);
    assertFalse(noInitial.initialSync());
    assertEquals(c, noInitial.withInitialSync(true));
  }

  @Test
  void listsAreCopiesThatCannotChange() throws Exception {
    List<String> excludes = new ArrayList<>(List.of("*.tmp"));
    AgentConfig c = AgentConfig.quick(Path.of("/srv/data"), List.of("rsync://h/m"), null, excludes);
    excludes.add("more");
    assertEquals(List.of("*.tmp"), c.excludes());
    assertThrows(UnsupportedOperationException.class, () -> c.excludes().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> c.targets().clear());
    assertThrows(UnsupportedOperationException.class, () -> c.rsync().extraArgs().add("-H"));
  }
}
