package io.watchsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code watchsync import-sersync} as an operator runs it: output, messages, exit codes. */
class SersyncImportCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path stockConfxml() throws IOException {
    Path file = dir.resolve("confxml.xml");
    try (InputStream in =
        getClass().getResourceAsStream("/io/watchsync/agent/importer/confxml.xml")) {
      Files.copy(in, file);
    }
    return file;
  }

  private List<String> errLines() {
    return err.toString().lines().toList();
  }

  @Test
  void printsTheConfigurationOnStdoutAndTheLossesOnStderr() throws Exception {
    assertEquals(0, run("import-sersync", stockConfxml().toString()), err::toString);
    Path yml = Files.writeString(dir.resolve("watchsync.yml"), out.toString());
    assertEquals(Path.of("/opt/tongbu"), ConfigLoader.load(yml).source());
    assertEquals(4, errLines().size(), err::toString);
    errLines().forEach(l -> assertTrue(l.startsWith("not carried over: "), l));
  }

  @Test
  void writesTheOutputFileButNeverOverAnExistingOneWithoutForce() throws Exception {
    Path xml = stockConfxml();
    Path yml = dir.resolve("watchsync.yml");
    assertEquals(0, run("import-sersync", xml.toString(), "-o", yml.toString()), err::toString);
    assertEquals("", out.toString());
    assertEquals(2, ConfigLoader.load(yml).targets().size());
    assertTrue(errLines().get(errLines().size() - 1).startsWith("wrote " + yml), err::toString);

    Files.writeString(yml, "source: /mine\n");
    err.getBuffer().setLength(0);
    assertEquals(1, run("import-sersync", xml.toString(), "-o", yml.toString()));
    assertEquals(
        List.of("watchsync: " + yml + ": already exists; add --force to replace it"), errLines());
    assertEquals("source: /mine\n", Files.readString(yml));

    assertEquals(0, run("import-sersync", xml.toString(), "-o", yml.toString(), "--force"));
    assertEquals(Path.of("/opt/tongbu"), ConfigLoader.load(yml).source());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void notXmlIsOneLineNamingTheFileAndLine() throws Exception {
    Path xml = Files.writeString(dir.resolve("confxml.xml"), "<head>\n  <sersync>\n</head>\n");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertEquals(1, errLines().size(), err::toString);
    assertTrue(
        errLines().get(0).startsWith("watchsync: " + xml + ":3: not valid XML: "), err::toString);
    assertEquals("", out.toString());
  }

  @Test
  void plainTextIsNotXml() throws Exception {
    Path xml = Files.writeString(dir.resolve("rsyncd.conf"), "[tongbu]\npath = /opt/tongbu\n");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertTrue(
        errLines().get(0).startsWith("watchsync: " + xml + ":1: not valid XML: "), err::toString);
  }

  @Test
  void anotherXmlFileIsNotASersyncConfiguration() throws Exception {
    Path xml = Files.writeString(dir.resolve("pom.xml"), "<?xml version=\"1.0\"?>\n<project/>\n");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertEquals(
        List.of(
            "watchsync: "
                + xml
                + ":2: not a sersync configuration: the root element is <project>, sersync's is"
                + " <head>"),
        errLines());
  }

  @Test
  void aConfigurationWithoutLocalpathIsRejected() throws Exception {
    Path xml =
        Files.writeString(
            dir.resolve("confxml.xml"),
            "<head version=\"2.5\">\n  <sersync>\n    <rsync/>\n  </sersync>\n</head>\n");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertEquals(
        List.of(
            "watchsync: "
                + xml
                + ":2: <sersync> has no <localpath watch=\"…\">: nothing to replicate"),
        errLines());
  }

  @Test
  void aDoctypeIsRefusedSoNoEntityIsEverFetched() throws Exception {
    Path xml =
        Files.writeString(
            dir.resolve("confxml.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE head [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<head><sersync><localpath watch=\"/&x;\"/></sersync></head>\n");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertTrue(errLines().get(0).contains(": not valid XML: "), err::toString);
  }

  @Test
  void aMissingFileIsNamed() {
    Path xml = dir.resolve("nope.xml");
    assertEquals(2, run("import-sersync", xml.toString()));
    assertEquals(List.of("watchsync: " + xml + ": no such file"), errLines());
  }
}
