package io.watchsync.repo.build;

import static io.watchsync.repo.build.PayloadEntry.CONFIG;
import static io.watchsync.repo.build.PayloadEntry.DOC;
import static io.watchsync.repo.build.PayloadEntry.LICENSE;
import static io.watchsync.repo.build.PayloadEntry.NOREPLACE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's two RPMs: {@code watchsync} (the agent as an EL service) and {@code
 * watchsync-repo-builder} (this tool, so an offline build host can be set up from the same
 * repository). What goes where follows the Fedora packaging guidelines; every directory listed is
 * one the package owns alone.
 */
public final class ProjectPackages {
  public static final String AGENT = "watchsync";
  public static final String TOOL = "watchsync-repo-builder";

  /**
   * Any Java 17 or newer headless runtime. On EL 8 and 9 every java-NN-openjdk-headless provides
   * java-NN-headless; the unversioned java-headless is only provided by the system JDK (1.8.0 on EL
   * 8), so "java-headless >= 1:17" would not resolve there.
   */
  public static final String JAVA_RUNTIME =
      "(java-17-headless or java-21-headless or java-25-headless)";

  static final String URL = "https://github.com/watchsync/watchsync";
  static final String VENDOR = "watchsync project";
  static final String PACKAGER = "watchsync maintainers <watchsync@users.noreply.github.com>";
  static final String LICENSE_NAME = "Apache-2.0";
  static final String UNIT = "watchsync.service";
  static final String SYSCTL = "90-watchsync.conf";
  static final String COMPLETION = "/usr/share/bash-completion/completions/watchsync";

  /**
   * What the packages are built from.
   *
   * @param agentJar the agent's runnable jar (agent/target/watchsync.jar)
   * @param toolJar repo-builder's runnable jar (repo-builder/target/repo-builder.jar)
   * @param packaging the directory with the unit, launcher template, configuration, changelog
   * @param readme shipped as documentation
   * @param license the license text
   */
  public record Inputs(
      Path agentJar,
      Path toolJar,
      Path packaging,
      Path readme,
      Path license,
      String version,
      String release) {}

  /** Builds both RPMs into {@code outDir}; returns their paths, agent first. */
  public List<Path> build(Inputs in, Path outDir) throws PackagingException {
    Path staging;
    try {
      staging = Files.createTempDirectory("watchsync-package-");
    } catch (IOException e) {
      throw new PackagingException("cannot create a staging directory: " + e.getMessage(), e);
    }
    try {
      RpmWriter writer = new RpmWriter();
      Path agent = writer.write(agent(in, staging), outDir);
      Path tool = writer.write(tool(in, staging), outDir);
      return List.of(agent, tool);
    } finally {
      deleteTree(staging);
    }
  }

  /** The watchsync RPM; rendered files are written under {@code staging}. */
  public RpmDefinition agent(Inputs in, Path staging) throws PackagingException {
    Path p = in.packaging();
    Path launcher =
        stage(
            staging,
            "watchsync",
            LauncherScript.render(
                required(p.resolve("launcher.in")),
                "watchsync",
                "share/watchsync/watchsync.jar",
                "/etc/sysconfig/watchsync /etc/default/watchsync",
                "WATCHSYNC_JAVA_OPTS"));
    RpmDefinition rpm =
        common(new RpmDefinition(AGENT, in.version(), in.release()), in)
            .summary("Real-time replication of a directory tree with inotify and rsync")
            .description(
                """
                watchsync replicates an NFS server's exported tree (or any local directory tree) \
                to one or more backup servers in real time. It watches every directory with Linux \
                inotify and sends each change with rsync within milliseconds, coalescing bursts, \
                and keeps a crash-safe journal so that nothing is lost across inotify queue \
                overflows, restarts, reboots and network outages. It replaces hand-written \
                inotifywait and rsync loops, sersync and lsyncd.

                The package installs the agent (a Java 17 program), the watchsync.service \
                systemd unit (not enabled by default), an example configuration in \
                /etc/watchsync/watchsync.yml and a sysctl drop-in raising the inotify limits.""")
            .require(Requirement.of("rsync"))
            .require(Requirement.of(JAVA_RUNTIME))
            .require(Requirement.of("/bin/sh"))
            .require(
                Requirement.forScriptlets(
                    "systemd",
                    Requirement.SCRIPT_POST | Requirement.SCRIPT_PREUN | Requirement.SCRIPT_POSTUN))
            .require(
                Requirement.forScriptlets(
                    "/bin/sh",
                    Requirement.SCRIPT_POST | Requirement.SCRIPT_PREUN | Requirement.SCRIPT_POSTUN))
            .postInstall(SystemdScriptlets.post(UNIT, SYSCTL))
            .preUninstall(SystemdScriptlets.preUninstall(UNIT))
            .postUninstall(SystemdScriptlets.postUninstall(UNIT))
            .add(PayloadEntry.directory("/usr/share/watchsync", 0755))
            .add(
                PayloadEntry.file(
                    "/usr/share/watchsync/watchsync.jar", jar(in.agentJar()), 0644, 0))
            .add(PayloadEntry.file("/usr/bin/watchsync", launcher, 0755, 0))
            .add(
                PayloadEntry.file(
                    "/usr/lib/systemd/system/" + UNIT, required(p.resolve(UNIT)), 0644, 0))
            .add(PayloadEntry.directory("/etc/watchsync", 0755))
            .add(
                PayloadEntry.file(
                    "/etc/watchsync/watchsync.yml",
                    required(p.resolve("watchsync.yml")),
                    0644,
                    CONFIG | NOREPLACE))
            .add(
                PayloadEntry.file(
                    "/etc/sysconfig/watchsync",
                    required(p.resolve("watchsync.sysconfig")),
                    0644,
                    CONFIG | NOREPLACE))
            .add(PayloadEntry.directory("/var/lib/watchsync", 0700))
            .add(
                PayloadEntry.file(
                    "/usr/lib/sysctl.d/" + SYSCTL, required(p.resolve(SYSCTL)), 0644, 0))
            // The file only: the directory belongs to bash-completion (or to nobody, when it is
            // not installed, and rpm creates it), as the Fedora guidelines ask.
            .add(
                PayloadEntry.file(
                    COMPLETION, required(p.resolve("watchsync.bash-completion")), 0644, 0));
    return docs(rpm, in, "watchsync");
  }

  /** The watchsync-repo-builder RPM; rendered files are written under {@code staging}. */
  public RpmDefinition tool(Inputs in, Path staging) throws PackagingException {
    Path launcher =
        stage(
            staging,
            "repo-builder",
            LauncherScript.render(
                required(in.packaging().resolve("launcher.in")),
                "repo-builder",
                "share/watchsync-repo-builder/repo-builder.jar",
                "/etc/sysconfig/watchsync-repo-builder /etc/default/watchsync-repo-builder",
                "REPO_BUILDER_JAVA_OPTS"));
    RpmDefinition rpm =
        common(new RpmDefinition(TOOL, in.version(), in.release()), in)
            .summary("Builds YUM repositories and the watchsync RPMs, without rpmbuild")
            .description(
                """
                repo-builder builds createrepo-compatible YUM/DNF repositories (repodata with \
                primary, filelists and other metadata) from a directory of RPMs, collects RPMs \
                for offline hosts, writes .repo files, and builds the watchsync RPMs themselves. \
                It is a single Java 17 program and needs neither rpmbuild nor createrepo, so an \
                offline build host can be set up from the same repository it serves.""")
            .require(Requirement.of(JAVA_RUNTIME))
            .require(Requirement.of("/bin/sh"))
            .add(PayloadEntry.directory("/usr/share/watchsync-repo-builder", 0755))
            .add(
                PayloadEntry.file(
                    "/usr/share/watchsync-repo-builder/repo-builder.jar",
                    jar(in.toolJar()),
                    0644,
                    0))
            .add(PayloadEntry.file("/usr/bin/repo-builder", launcher, 0755, 0))
            .add(
                PayloadEntry.file(
                    "/etc/sysconfig/watchsync-repo-builder",
                    required(in.packaging().resolve("repo-builder.sysconfig")),
                    0644,
                    CONFIG | NOREPLACE));
    return docs(rpm, in, TOOL);
  }

  private static RpmDefinition common(RpmDefinition rpm, Inputs in) throws PackagingException {
    return rpm.license(LICENSE_NAME)
        .url(URL)
        .vendor(VENDOR)
        .group("Applications/System")
        .packager(PACKAGER)
        .changelog(Changelog.read(required(in.packaging().resolve("changelog"))));
  }

  private static RpmDefinition docs(RpmDefinition rpm, Inputs in, String name)
      throws PackagingException {
    String doc = "/usr/share/doc/" + name;
    String licenses = "/usr/share/licenses/" + name;
    return rpm.add(PayloadEntry.directory(doc, 0755))
        .add(PayloadEntry.file(doc + "/README.md", required(in.readme()), 0644, DOC))
        .add(PayloadEntry.directory(licenses, 0755))
        .add(PayloadEntry.file(licenses + "/LICENSE", required(in.license()), 0644, LICENSE));
  }

  private static Path jar(Path jar) throws PackagingException {
    required(jar);
    if (!jar.getFileName().toString().endsWith(".jar")) {
      throw new PackagingException(jar + ": expected a .jar file");
    }
    return jar;
  }

  private static Path required(Path file) throws PackagingException {
    if (!Files.isRegularFile(file)) {
      throw new PackagingException(file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new PackagingException(file + ": not readable");
    }
    return file;
  }

  private static Path stage(Path staging, String name, String content) throws PackagingException {
    Path file = staging.resolve(name);
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PackagingException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the packages are already written.
    }
  }
}
