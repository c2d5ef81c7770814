package io.watchsync.agent.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.config.TargetUrl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sersync configurations turned into watchsync's, read back through the real loader. */
class SersyncImportTest {
  @TempDir Path dir;

  /** sersync 2.5.4's shipped confxml.xml, switched on as a real installation has it. */
  private Path stockConfxml() throws IOException {
    Path file = dir.resolve("confxml.xml");
    try (InputStream in = getClass().getResourceAsStream("confxml.xml")) {
      Files.copy(in, file);
    }
    return file;
  }

  private Path confxml(String xml) throws IOException {
    return Files.writeString(dir.resolve("confxml.xml"), xml);
  }

  private AgentConfig load(SersyncImport imported) throws IOException, ConfigException {
    Path yml = Files.writeString(dir.resolve("watchsync.yml"), imported.yaml());
    return ConfigLoader.load(yml);
  }

  @Test
  void stockConfxmlBecomesAConfigurationTheLoaderAccepts() throws Exception {
    SersyncImport imported = SersyncImport.read(stockConfxml());
    AgentConfig config = load(imported);

    assertEquals(Path.of("/opt/tongbu"), config.source());
    assertEquals(
        List.of(
            new TargetConfig(
                "192.168.8.39",
                TargetUrl.parse("rsync://root@192.168.8.39:874/tongbu"),
                Path.of("/etc/rsync.pas"),
                TargetConfig.DEFAULT_WORKERS,
                null),
            new TargetConfig(
                "192.168.8.40",
                TargetUrl.parse("rsync://root@192.168.8.40:874/tongbu"),
                Path.of("/etc/rsync.pas"),
                TargetConfig.DEFAULT_WORKERS,
                null)),
        config.targets());
    assertEquals(List.of("*.svn", "*.gz", "/info", "/static"), config.excludes());
    assertEquals(Duration.ofMinutes(600), config.fullSyncInterval());
    assertEquals(Duration.ofSeconds(100), config.rsync().timeout());
    assertTrue(config.rsync().compress());
    assertEquals(List.of("-u"), config.rsync().extraArgs());
    assertEquals(AgentConfig.Retry.DEFAULT, config.retry());
    assertEquals("info", config.logLevel());
  }

  @Test
  void stockConfxmlListsExactlyWhatIsNotCarriedOver() throws Exception {
    SersyncImport imported = SersyncImport.read(stockConfxml());
    assertEquals(
        List.of(
            "inotify createFile, attrib, modify off: no meaning for watchsync, which always ships"
                + " every change (creations, writes, attribute changes, moves)",
            "failLog /tmp/rsync_fail_log.sh run every 60 minutes: watchsync keeps failed changes"
                + " in its journal and retries them itself, after retry.initial_delay (1s)"
                + " doubling up to retry.max_delay (60s); no fail-log script is written",
            "crontabfilter \"*.svn\", \"*.gz\", \"info/*\", \"static/*\": excluded from full syncs"
                + " only; watchsync has one list, excludes, for changes and full syncs alike",
            "plugin refreshCDN: sersync called"
                + " http://ccms.chinacache.com/index.jsp?user=xxxx&pswd=…&ok=ok"
                + "&urls=http://pic.xoyo.com/cms/PATH (PATH: the changed file below"
                + " /data0/htdocs/cms.xoyo.com/site/; dirs=…/ instead of urls= for a directory)"
                + " after each change; watchsync's callbacks instead POST the changed and deleted"
                + " paths as JSON after each batch (a commented-out callbacks entry is written:"
                + " point it at a service that makes that call)"),
        imported.notCarriedOver());
    assertEquals(List.of(), imported.notes());
  }

  @Test
  void passwordsNeverReachTheOutput() throws Exception {
    SersyncImport imported = SersyncImport.read(stockConfxml());
    assertFalse(imported.yaml().contains("s3cr3t"), imported.yaml());
    imported.notCarriedOver().forEach(line -> assertFalse(line.contains("s3cr3t"), line));
  }

  @Test
  void theFileSaysWhereItCameFromAndWhatWasLeftBehind() throws Exception {
    Path xml = stockConfxml();
    String yaml = SersyncImport.read(xml).yaml();
    assertTrue(yaml.startsWith("# watchsync configuration imported from sersync's " + xml), yaml);
    assertTrue(yaml.contains("# Not carried over"), yaml);
    assertTrue(yaml.contains("#   - plugin refreshCDN:"), yaml);
    assertTrue(
        yaml.contains("# callbacks:\n#   - url: \"http://127.0.0.1:8080/after-sync\""), yaml);
  }

  @Test
  void deletionsOffSshAndUntranslatableFiltersAreReportedOneLineEach() throws Exception {
    SersyncImport imported =
        SersyncImport.read(
            confxml(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <head version="2.5">
                  <filter start="true">
                    <exclude expression="(.*)\\.php(.*)"/>
                    <exclude expression="(.*)\\.swp"/>
                    <exclude expression="^cache/*"/>
                  </filter>
                  <inotify>
                    <delete start="false"/><createFolder start="true"/>
                    <createFile start="true"/><closeWrite start="true"/>
                    <moveFrom start="true"/><moveTo start="true"/>
                    <attrib start="true"/><modify start="true"/>
                  </inotify>
                  <sersync>
                    <localpath watch="/srv/www">
                      <remote ip="10.0.0.5" name="/backup/www"/>
                      <remote ip="10.0.0.6" name="www"/>
                    </localpath>
                    <rsync>
                      <commonParams params="-avz --progress --bwlimit=5000 --delete"/>
                      <auth start="false" users="root" passwordfile="/etc/rsync.pas"/>
                      <userDefinedPort start="false" port="874"/>
                      <timeout start="false" time="100"/>
                      <ssh start="true"/>
                    </rsync>
                    <crontab start="false" schedule="600"/>
                    <plugin start="false" name="command"/>
                  </sersync>
                </head>
                """));
    assertEquals(
        List.of(
            "filter exclude \"(.*)\\.php(.*)\": a regular expression with no exact rsync pattern;"
                + " add the rsync pattern you mean to excludes",
            "inotify delete=\"false\": sersync kept files on the targets after they were deleted"
                + " here; watchsync always deletes them on every target (with each change and each"
                + " full sync) and has no setting to keep them",
            "rsync option -v: watchsync sets rsync's output itself (watchsync run -v logs every"
                + " file sent)",
            "rsync option --progress: watchsync sets rsync's output itself (watchsync run -v logs"
                + " every file sent)",
            "rsync option --delete: watchsync decides what to delete on the targets itself"),
        imported.notCarriedOver());
    assertEquals(
        List.of(
            "remote 10.0.0.6 name=\"www\": over ssh a relative path is in root's home directory;"
                + " written as /root/www",
            "crontab is off: watchsync still runs a full sync every 1d as a safety net"
                + " (full_sync_interval); set full_sync_interval: 0 to turn it off"),
        imported.notes());
    AgentConfig config = load(imported);
    assertEquals(
        List.of("10.0.0.5:/backup/www", "10.0.0.6:/root/www"),
        config.targets().stream().map(t -> t.url().toString()).toList());
    assertNull(config.targets().get(0).passwordFile());
    assertEquals(List.of("*.swp", "/cache"), config.excludes());
    assertEquals(List.of("--bwlimit=5000"), config.rsync().extraArgs());
    assertTrue(config.rsync().compress());
    assertEquals(AgentConfig.DEFAULT_FULL_SYNC_INTERVAL, config.fullSyncInterval());
  }

  @Test
  void anSshLoginOtherThanRootWithARelativePathIsNotGuessed() throws Exception {
    SersyncImport imported =
        SersyncImport.read(
            confxml(
                """
                <head>
                  <inotify><delete start="true"/><createFolder start="true"/>
                    <createFile start="true"/><closeWrite start="true"/><moveFrom start="true"/>
                    <moveTo start="true"/><attrib start="true"/><modify start="true"/></inotify>
                  <sersync>
                    <localpath watch="/data">
                      <remote ip="backup1" name="data"/>
                      <remote ip="backup2" name="/srv/data"/>
                    </localpath>
                    <rsync>
                      <auth start="true" users="sync" passwordfile="/etc/rsync.pas"/>
                      <userDefinedPort start="true" port="2222"/>
                      <ssh start="true"/>
                    </rsync>
                    <crontab start="true" schedule="90"/>
                  </sersync>
                </head>
                """));
    assertEquals(
        List.of(
            "auth passwordfile=\"/etc/rsync.pas\": ssh targets log in with keys; the rsync password"
                + " file is not used",
            "rsync port 2222: a daemon port, not used over ssh; if sshd listens there, set the"
                + " target's ssh to \"ssh -p 2222\"",
            "remote backup1 name=\"data\" (line 7): over ssh this path is relative to sync's home"
                + " directory, which watchsync needs written out: add the target"
                + " sync@backup1:/HOME/data by hand"),
        imported.notCarriedOver());
    AgentConfig config = load(imported);
    assertEquals(
        List.of("sync@backup2:/srv/data"),
        config.targets().stream().map(t -> t.url().toString()).toList());
    assertEquals(Duration.ofMinutes(90), config.fullSyncInterval());
  }

  @Test
  void commonSersyncExpressionsTranslateExactlyAndOthersNot() {
    assertEquals("*.svn", SersyncRegex.toRsyncPattern("(.*)\\.svn").orElseThrow());
    assertEquals("*.gz", SersyncRegex.toRsyncPattern("(.*)\\.gz").orElseThrow());
    assertEquals("*~", SersyncRegex.toRsyncPattern(".*~$").orElseThrow());
    assertEquals("/info", SersyncRegex.toRsyncPattern("^info/*").orElseThrow());
    assertEquals("/static", SersyncRegex.toRsyncPattern("^static/*").orElseThrow());
    for (String untranslatable :
        List.of(
            "(.*)\\.php(.*)",
            "^info/.*",
            "^a/b/*",
            "(.*)\\.(gz|bz2)",
            "(.*)\\d+",
            "^info$",
            "(.*)",
            "(.*)\\*",
            "tmp")) {
      assertTrue(
          SersyncRegex.toRsyncPattern(untranslatable).isEmpty(),
          untranslatable + " has no exact rsync pattern");
    }
  }

  @Test
  void aRemoteWithoutAModuleIsRejectedWithItsLine() throws Exception {
    Path xml =
        confxml(
            """
            <head>
              <sersync>
                <localpath watch="/data">
                  <remote ip="10.0.0.2"/>
                </localpath>
              </sersync>
            </head>
            """);
    ConfigException e = assertThrows(ConfigException.class, () -> SersyncImport.read(xml));
    assertEquals(xml + ":4: <remote> needs both ip=\"…\" and name=\"…\"", e.getMessage());
  }
}
