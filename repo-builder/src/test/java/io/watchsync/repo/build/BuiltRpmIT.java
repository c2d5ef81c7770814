package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries the built RPMs with the real rpm and rpmlint, as a packager would review them. */
class BuiltRpmIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir static Path work;
  static Path agent;
  static Path tool;

  @BeforeAll
  static void buildPackages() throws Exception {
    assumeTrue(Command.available("rpm"), "rpm is not installed (scripts/install-deps installs it)");
    List<Path> rpms =
        new ProjectPackages()
            .build(ProjectFiles.inputs(work.resolve("in"), "1.2.3", "4"), work.resolve("out"));
    agent = rpms.get(0);
    tool = rpms.get(1);
  }

  private static String rpm(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("rpm"));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command).ok(String.join(" ", command)).out();
  }

  private static Set<String> lines(String text) {
    return new TreeSet<>(text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
  }

  @Test
  void filesAreNamedAfterNameVersionReleaseAndNoarch() {
    assertEquals("watchsync-1.2.3-4.noarch.rpm", agent.getFileName().toString());
    assertEquals("watchsync-repo-builder-1.2.3-4.noarch.rpm", tool.getFileName().toString());
  }

  @Test
  void infoShowsNameVersionLicenseUrlVendorAndDescription() throws IOException {
    String info = rpm("-qpi", agent.toString());
    assertTrue(info.matches("(?s).*Name\\s*: watchsync\\n.*"), info);
    assertTrue(info.matches("(?s).*Version\\s*: 1\\.2\\.3\\n.*"), info);
    assertTrue(info.matches("(?s).*Release\\s*: 4\\n.*"), info);
    assertTrue(info.matches("(?s).*Architecture: noarch\\n.*"), info);
    assertTrue(info.matches("(?s).*License\\s*: Apache-2\\.0\\n.*"), info);
    assertTrue(info.matches("(?s).*URL\\s*: https://github\\.com/watchsync/watchsync\\n.*"), info);
    assertTrue(info.matches("(?s).*Vendor\\s*: \\S.*"), info);
    assertTrue(info.matches("(?s).*Packager\\s*: \\S.*"), info);
    assertTrue(info.matches("(?s).*Source RPM\\s*: watchsync-1\\.2\\.3-4\\.src\\.rpm\\n.*"), info);
    assertTrue(info.contains("inotify"), info);
    assertFalse(info.contains("Epoch"), "no epoch, as rpmbuild would write: " + info);
    String description = rpm("-qp", "--qf", "%{DESCRIPTION}", agent.toString());
    description.lines().forEach(line -> assertTrue(line.length() <= 79, "too long: " + line));
    assertTrue(rpm("-qp", "--changelog", agent.toString()).startsWith("* "));
  }

  @Test
  void agentPayloadListsItsFilesAndOnlyTheDirectoriesItOwns() throws IOException {
    assertEquals(
        Set.of(
            "/etc/sysconfig/watchsync",
            "/etc/watchsync",
            "/etc/watchsync/watchsync.yml",
            "/usr/bin/watchsync",
            "/usr/lib/sysctl.d/90-watchsync.conf",
            "/usr/lib/systemd/system/watchsync.service",
            "/usr/share/bash-completion/completions/watchsync",
            "/usr/share/doc/watchsync",
            "/usr/share/doc/watchsync/README.md",
            "/usr/share/licenses/watchsync",
            "/usr/share/licenses/watchsync/LICENSE",
            "/usr/share/watchsync",
            "/usr/share/watchsync/watchsync.jar",
            "/var/lib/watchsync"),
        lines(rpm("-qpl", agent.toString())));
  }

  @Test
  void agentFilesHaveTheirModesOwnersAndConfigFlags() throws IOException {
    String listing =
        rpm(
            "-qp",
            "--qf",
            "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\\n]",
            agent.toString());
    Set<String> expected =
        Set.of(
            "-rw-r--r-- root:root cn /etc/sysconfig/watchsync",
            "drwxr-xr-x root:root  /etc/watchsync",
            "-rw-r--r-- root:root cn /etc/watchsync/watchsync.yml",
            "-rwxr-xr-x root:root  /usr/bin/watchsync",
            "-rw-r--r-- root:root  /usr/lib/sysctl.d/90-watchsync.conf",
            "-rw-r--r-- root:root  /usr/lib/systemd/system/watchsync.service",
            "-rw-r--r-- root:root  /usr/share/bash-completion/completions/watchsync",
            "drwxr-xr-x root:root  /usr/share/doc/watchsync",
            "-rw-r--r-- root:root d /usr/share/doc/watchsync/README.md",
            "drwxr-xr-x root:root  /usr/share/licenses/watchsync",
            "-rw-r--r-- root:root l /usr/share/licenses/watchsync/LICENSE",
            "drwxr-xr-x root:root  /usr/share/watchsync",
            "-rw-r--r-- root:root  /usr/share/watchsync/watchsync.jar",
            "drwx------ root:root  /var/lib/watchsync");
    assertEquals(expected, new TreeSet<>(listing.lines().toList()));
    assertEquals(
        Set.of("/etc/sysconfig/watchsync", "/etc/watchsync/watchsync.yml"),
        lines(rpm("-qpc", agent.toString())));
  }

  /**
   * bash-completion owns /usr/share/bash-completion/completions (Fedora packaging guidelines,
   * "Shell completions"): the package ships its file there and owns no directory on the way.
   */
  @Test
  void bashCompletionIsShippedAsAFileWithoutOwningItsDirectory() throws IOException {
    Set<String> files = lines(rpm("-qpl", agent.toString()));
    assertTrue(
        files.contains("/usr/share/bash-completion/completions/watchsync"), files.toString());
    assertFalse(files.contains("/usr/share/bash-completion/completions"), files.toString());
    assertFalse(files.contains("/usr/share/bash-completion"), files.toString());
    String script = rpm("-qp", "--qf", "[%{FILENAMES} %{FILEMODES:perms}\\n]", agent.toString());
    assertTrue(
        script.contains("/usr/share/bash-completion/completions/watchsync -rw-r--r--"), script);
  }

  @Test
  void toolPayloadHoldsTheJarLauncherAndDocs() throws IOException {
    assertEquals(
        Set.of(
            "/etc/sysconfig/watchsync-repo-builder",
            "/usr/bin/repo-builder",
            "/usr/share/doc/watchsync-repo-builder",
            "/usr/share/doc/watchsync-repo-builder/README.md",
            "/usr/share/licenses/watchsync-repo-builder",
            "/usr/share/licenses/watchsync-repo-builder/LICENSE",
            "/usr/share/watchsync-repo-builder",
            "/usr/share/watchsync-repo-builder/repo-builder.jar"),
        lines(rpm("-qpl", tool.toString())));
    assertEquals(
        Set.of("/etc/sysconfig/watchsync-repo-builder"), lines(rpm("-qpc", tool.toString())));
  }

  @Test
  void agentRequiresRsyncAJava17RuntimeAndSystemdForItsScriptlets() throws IOException {
    Set<String> requires = lines(rpm("-qp", "--requires", agent.toString()));
    assertTrue(requires.contains("rsync"), requires.toString());
    assertTrue(
        requires.contains("(java-17-headless or java-21-headless or java-25-headless)"),
        requires.toString());
    assertTrue(requires.contains("rpmlib(RichDependencies) <= 4.12.0-1"), requires.toString());
    assertTrue(requires.contains("/bin/sh"), requires.toString());
    String scriptletRequires =
        rpm("-qp", "--qf", "[%{REQUIRENAME} %{REQUIREFLAGS:deptype}\\n]", agent.toString());
    assertTrue(
        scriptletRequires.lines().anyMatch(l -> l.equals("systemd post,preun,postun")),
        scriptletRequires);
    Set<String> toolRequires = lines(rpm("-qp", "--requires", tool.toString()));
    assertTrue(
        toolRequires.contains("(java-17-headless or java-21-headless or java-25-headless)"),
        toolRequires.toString());
  }

  @Test
  void packagesProvideTheirNameAndTheirConfig() throws IOException {
    assertEquals(
        Set.of("watchsync = 1.2.3-4", "config(watchsync) = 1.2.3-4"),
        lines(rpm("-qp", "--provides", agent.toString())));
    assertEquals(
        Set.of("watchsync-repo-builder = 1.2.3-4", "config(watchsync-repo-builder) = 1.2.3-4"),
        lines(rpm("-qp", "--provides", tool.toString())));
  }

  @Test
  void scriptletsPresetOnInstallStopOnEraseAndRestartOnUpgrade() throws IOException {
    String scripts = rpm("-qp", "--scripts", agent.toString());
    String post = section(scripts, "postinstall scriptlet (using /bin/sh):");
    String preun = section(scripts, "preuninstall scriptlet (using /bin/sh):");
    String postun = section(scripts, "postuninstall scriptlet (using /bin/sh):");
    assertTrue(post.contains("if [ \"$1\" -eq 1 ]"), post);
    assertTrue(post.contains("systemctl --no-reload preset watchsync.service"), post);
    assertTrue(post.contains("systemd-sysctl 90-watchsync.conf"), post);
    assertFalse(post.contains("start"), "never started on install: " + post);
    assertTrue(preun.contains("if [ \"$1\" -eq 0 ]"), preun);
    assertTrue(preun.contains("systemctl --no-reload disable --now watchsync.service"), preun);
    assertTrue(postun.contains("systemctl daemon-reload"), postun);
    assertTrue(postun.contains("if [ \"$1\" -ge 1 ]"), postun);
    assertTrue(postun.contains("systemctl try-restart watchsync.service"), postun);
    for (String script : List.of(post, preun, postun)) {
      script
          .lines()
          .filter(l -> l.contains("systemctl ") || l.contains("systemd-sysctl "))
          .filter(
              l -> !l.contains("command -v") && !l.contains("[ -x") && !l.strip().startsWith("#"))
          .forEach(l -> assertTrue(l.endsWith("|| :"), "must not fail the transaction: " + l));
    }
    assertFalse(scripts.contains("preinstall"), "no %pre needed: " + scripts);
    assertEquals("", rpm("-qp", "--scripts", tool.toString()).strip());
  }

  private static String section(String scripts, String heading) {
    int start = scripts.indexOf(heading);
    assertTrue(start >= 0, "no '" + heading + "' in\n" + scripts);
    int end = scripts.indexOf(" scriptlet (using", start + heading.length());
    String body = scripts.substring(start + heading.length(), end < 0 ? scripts.length() : end);
    return end < 0 ? body : body.substring(0, body.lastIndexOf('\n'));
  }

  @Test
  void digestsVerify() throws IOException {
    String checked = rpm("-Kv", agent.toString(), tool.toString());
    assertTrue(checked.contains("Header SHA256 digest: OK"), checked);
    assertTrue(checked.contains("Payload SHA256 digest: OK"), checked);
    assertFalse(checked.contains("BAD"), checked);
    assertTrue(rpm("-K", agent.toString()).strip().endsWith("digests OK"));
  }

  @Test
  void payloadIsGzippedCpioWithSha256FileDigestsAsEl8And9Read() throws IOException {
    // 8 = SHA256; gzip + cpio is read by every rpm since 4.0.
    assertEquals(
        "cpio gzip 8",
        rpm(
            "-qp",
            "--qf",
            "%{PAYLOADFORMAT} %{PAYLOADCOMPRESSOR} %{FILEDIGESTALGO}",
            agent.toString()));
  }

  @Test
  void rpmlintReportsNoErrorsOnceSigned() throws Exception {
    assumeTrue(Command.available("rpmlint"), "rpmlint is not installed");
    // Signed as build-dist signs them: rpmlint's no-signature is an error, and is not filtered.
    Path signed = java.nio.file.Files.createDirectories(work.resolve("signed"));
    Path signedAgent = java.nio.file.Files.copy(agent, signed.resolve(agent.getFileName()));
    Path signedTool = java.nio.file.Files.copy(tool, signed.resolve(tool.getFileName()));
    io.watchsync.repo.sign.RpmSigner signer =
        new io.watchsync.repo.sign.RpmSigner(
            io.watchsync.repo.sign.Signer.load(
                io.watchsync.repo.testing.TestKeys.site().secretKey(), null));
    signer.sign(signedAgent);
    signer.sign(signedTool);
    // rpmlint checks the signature against the rpm database: one of its own, trusting the key.
    Path home = java.nio.file.Files.createDirectories(work.resolve("lint-home"));
    Path rpmdb = home.resolve("rpmdb");
    java.nio.file.Files.writeString(home.resolve(".rpmmacros"), "%_dbpath " + rpmdb + "\n");
    Command.run(
            DEADLINE,
            "rpmkeys",
            "--dbpath",
            rpmdb.toString(),
            "--import",
            io.watchsync.repo.testing.TestKeys.site().publicKey().toString())
        .ok("rpmkeys --import");
    Command lint =
        Command.run(
            DEADLINE,
            "env",
            "HOME=" + home,
            "rpmlint",
            "-r",
            ProjectFiles.PACKAGING.resolve("watchsync.rpmlintrc").toString(),
            signedAgent.toString(),
            signedTool.toString());
    assertTrue(lint.out().contains(" 0 errors"), lint.out() + lint.err());
    assertFalse(lint.out().contains("no-signature"), lint.out());
    assertEquals(0, lint.exit(), lint.out() + lint.err());
  }
}
