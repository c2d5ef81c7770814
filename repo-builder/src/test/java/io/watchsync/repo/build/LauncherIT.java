package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the rendered /usr/bin launcher with this machine's Java and a probe jar. */
class LauncherIT {
  @TempDir Path dir;
  Path launcher;
  Path sysconfig;

  /** The probe: prints its arguments, one per line, and the system property "probe". */
  public static final class Probe {
    public static void main(String[] args) {
      if (args.length == 1 && args[0].equals("--print-collectors")) {
        System.out.println(
            "collectors="
                + java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .map(java.lang.management.GarbageCollectorMXBean::getName)
                    .collect(java.util.stream.Collectors.joining(",")));
        return;
      }
      System.out.println("probe=" + System.getProperty("probe"));
      for (String arg : args) {
        System.out.println("arg=" + arg);
      }
    }
  }

  @BeforeEach
  void renderLauncher() throws Exception {
    Path jar = dir.resolve("probe.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Probe.class.getName());
    String entry = Probe.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = Probe.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    sysconfig = dir.resolve("sysconfig");
    launcher = dir.resolve("watchsync");
    Files.writeString(
        launcher,
        LauncherScript.render(
            ProjectFiles.PACKAGING.resolve("launcher.in"),
            "watchsync",
            jar.toString(),
            sysconfig.toString(),
            "WATCHSYNC_JAVA_OPTS"));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Command launch(List<String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("env", "-u", "JAVA_OPTS", "-u", "JAVA_HOME"));
    command.addAll(List.of("-u", "WATCHSYNC_JAVA_OPTS", "-u", "REPO_BUILDER_JAVA_OPTS"));
    command.addAll(env);
    command.add(launcher.toString());
    command.addAll(List.of(args));
    return Command.run(Duration.ofMinutes(1), command);
  }

  private static String javaHome() {
    return System.getProperty("java.home");
  }

  @Test
  void findsAJava17RuntimeAndPassesArgumentsUntouched() throws IOException {
    Command run = launch(List.of("JAVA_HOME=" + javaHome()), "run", "a file with spaces", "");
    assertEquals(0, run.exit(), run.err());
    assertEquals("probe=null\narg=run\narg=a file with spaces\narg=\n", run.out());
  }

  @Test
  void readsJvmOptionsFromTheSysconfigFileAndTheEnvironmentWins() throws IOException {
    Files.writeString(sysconfig, "WATCHSYNC_JAVA_OPTS=\"-Dprobe=from-file -Xmx64m\"\n");
    Command fromFile = launch(List.of("JAVA_HOME=" + javaHome()));
    assertEquals("probe=from-file\n", fromFile.out(), fromFile.err());
    Command fromEnv =
        launch(List.of("JAVA_HOME=" + javaHome(), "WATCHSYNC_JAVA_OPTS=-Dprobe=from-env"));
    assertEquals("probe=from-env\n", fromEnv.out(), fromEnv.err());
  }

  /** The options repo-builder's package ships give it the serial collector (see the file). */
  @Test
  void repoBuildersShippedOptionsReachItsJvm() throws Exception {
    Path jar = dir.resolve("probe.jar");
    Files.writeString(
        launcher,
        LauncherScript.render(
            ProjectFiles.PACKAGING.resolve("launcher.in"),
            "repo-builder",
            jar.toString(),
            ProjectFiles.PACKAGING.resolve("repo-builder.sysconfig").toString(),
            "REPO_BUILDER_JAVA_OPTS"));
    Command run = launch(List.of("JAVA_HOME=" + javaHome()), "--print-collectors");
    assertEquals("collectors=Copy,MarkSweepCompact\n", run.out(), run.err());
  }

  /**
   * Re-renders the launcher with /usr/lib/jvm moved under the test directory, and prepares an old
   * Java in JAVA_HOME and a PATH without java: only what the test puts in place is found.
   */
  private List<String> isolatedFromTheMachinesJava() throws IOException {
    Files.writeString(
        launcher, Files.readString(launcher).replace("/usr/lib/jvm/", dir.resolve("jvm") + "/"));
    Path java = Files.createDirectories(dir.resolve("jdk8/bin")).resolve("java");
    Files.writeString(
        java, "#!/bin/sh\necho 'openjdk version \"1.8.0_402\"' >&2\necho java-8-ran\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("sed", "dirname", "readlink", "head")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
    }
    return List.of("JAVA_HOME=" + dir.resolve("jdk8"), "PATH=" + bin);
  }

  @Test
  void skipsAJavaOlderThan17AndSaysWhatToInstallWhenNoneIsFound() throws IOException {
    Command run = launch(isolatedFromTheMachinesJava(), "version");
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("no Java 17 or newer found"), run.err());
    assertTrue(run.err().contains("install java-17-openjdk-headless"), run.err());
    assertTrue(!run.out().contains("java-8-ran"), "Java 8 must not run the agent");
  }

  @Test
  void fallsBackToTheElJava17DirectoryWhenJavaHomeIsTooOld() throws IOException {
    List<String> env = isolatedFromTheMachinesJava();
    Path el17 = Files.createDirectories(dir.resolve("jvm/jre-17"));
    Files.createSymbolicLink(el17.resolve("bin"), Path.of(javaHome(), "bin"));
    Command run = launch(env, "version");
    assertEquals(0, run.exit(), run.err());
    assertEquals("probe=null\narg=version\n", run.out());
  }

  /** Renders the launcher as the rpm ships it, under PREFIX/bin, with the probe in PREFIX/share. */
  private Path installedUnder(Path prefix, String sysconfigs) throws Exception {
    Path jar = Files.createDirectories(prefix.resolve("share/watchsync")).resolve("watchsync.jar");
    Files.copy(dir.resolve("probe.jar"), jar);
    Path installed = Files.createDirectories(prefix.resolve("bin")).resolve("watchsync");
    Files.writeString(
        installed,
        LauncherScript.render(
            ProjectFiles.PACKAGING.resolve("launcher.in"),
            "watchsync",
            "share/watchsync/watchsync.jar",
            sysconfigs,
            "WATCHSYNC_JAVA_OPTS"));
    Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
    return installed;
  }

  @Test
  void findsItsJarUnderThePrefixItIsInstalledInEvenThroughASymlink() throws Exception {
    launcher = installedUnder(dir.resolve("usr/local"), sysconfig.toString());
    Path link = Files.createSymbolicLink(dir.resolve("watchsync-link"), launcher);
    launcher = link;
    Command run = launch(List.of("JAVA_HOME=" + javaHome()), "version");
    assertEquals(0, run.exit(), run.err());
    assertEquals("probe=null\narg=version\n", run.out());
  }

  @Test
  void readsTheFirstOfItsSysconfigFilesThatExists() throws Exception {
    Path el = dir.resolve("sysconfig-el");
    Path debian = dir.resolve("default-debian");
    launcher = installedUnder(dir.resolve("usr"), el + " " + debian);
    Files.writeString(debian, "WATCHSYNC_JAVA_OPTS=-Dprobe=debian\n");
    Command debianOnly = launch(List.of("JAVA_HOME=" + javaHome()));
    assertEquals("probe=debian\n", debianOnly.out(), debianOnly.err());
    Files.writeString(el, "WATCHSYNC_JAVA_OPTS=-Dprobe=el\n");
    Command both = launch(List.of("JAVA_HOME=" + javaHome()));
    assertEquals("probe=el\n", both.out(), both.err());
  }
}
