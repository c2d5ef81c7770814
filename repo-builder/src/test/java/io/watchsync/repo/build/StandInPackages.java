package io.watchsync.repo.build;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small packages that satisfy the watchsync RPM's runtime dependencies the way an EL base system
 * would, so dnf can install it into an empty root: a real /bin/sh (this machine's dash and the
 * libraries it links), rsync, a Java 17 headless runtime, and systemd whose systemctl records each
 * call in /var/log/systemctl.calls so tests can see what the scriptlets asked for.
 */
final class StandInPackages {
  static final String SYSTEMCTL_LOG = "/var/log/systemctl.calls";
  private static final Pattern LIBRARY = Pattern.compile("(/\\S+) \\(0x");

  private StandInPackages() {}

  static List<Path> build(Path work, Path outDir) throws IOException, PackagingException {
    Files.createDirectories(work);
    RpmWriter writer = new RpmWriter();
    List<Path> rpms = new ArrayList<>();
    rpms.add(writer.write(filesystem(), outDir));
    rpms.add(writer.write(shell(), outDir));
    rpms.add(writer.write(basic("rsync", "3.2.3", "stands in for rsync"), outDir));
    rpms.add(
        writer.write(
            basic("java-17-openjdk-headless", "17.0.13.0.11", "stands in for OpenJDK 17")
                .provide(new Requirement("java-17-headless", Requirement.EQUAL, "17.0.13.0.11"))
                .provide(new Requirement("jre-17-headless", Requirement.EQUAL, "17.0.13.0.11")),
            outDir));
    rpms.add(writer.write(systemd(work), outDir));
    return rpms;
  }

  private static RpmDefinition basic(String name, String version, String summary) {
    return new RpmDefinition(name, version, "1.standin")
        .summary(summary)
        .description(summary + ", for installation tests.")
        .license("MIT")
        .changelog(List.of(new ChangelogEntry(LocalDate.of(2026, 1, 1), "tests", "- stand-in")));
  }

  /**
   * The base directories, as EL's filesystem package owns them. /dev matters: scriptlets redirect
   * to /dev/null, which in a bare installroot is a plain file in this directory.
   */
  private static RpmDefinition filesystem() {
    RpmDefinition rpm = basic("filesystem", "3.16", "stands in for filesystem");
    for (String dir :
        List.of("/dev", "/etc", "/etc/sysconfig", "/usr", "/usr/bin", "/var", "/var/log")) {
      rpm.add(PayloadEntry.directory(dir, 0755));
    }
    return rpm;
  }

  /** bash's place: /bin/sh must really run, scriptlets are executed in the installroot. */
  private static RpmDefinition shell() throws IOException {
    Path dash = Path.of("/bin/sh").toRealPath();
    RpmDefinition rpm =
        basic("bash", "5.1.8", "stands in for bash: this machine's " + dash)
            .require(Requirement.of("filesystem"))
            .add(PayloadEntry.file("/bin/sh", dash, 0755, 0));
    String ldd = Command.run(Duration.ofSeconds(30), "ldd", dash.toString()).ok("ldd").out();
    Matcher library = LIBRARY.matcher(ldd);
    while (library.find()) {
      Path path = Path.of(library.group(1));
      rpm.add(PayloadEntry.file(path.toString(), path.toRealPath(), 0755, 0));
    }
    return rpm;
  }

  private static RpmDefinition systemd(Path work) throws IOException {
    Path systemctl = work.resolve("systemctl");
    Files.writeString(
        systemctl, "#!/bin/sh\necho \"$*\" >> " + SYSTEMCTL_LOG + "\n", StandardCharsets.UTF_8);
    return basic("systemd", "252", "stands in for systemd: systemctl records its calls")
        .add(PayloadEntry.file("/usr/bin/systemctl", systemctl, 0755, 0))
        .add(PayloadEntry.directory("/usr/lib/systemd", 0755))
        .add(PayloadEntry.directory("/usr/lib/systemd/system", 0755))
        .add(PayloadEntry.directory("/usr/lib/sysctl.d", 0755))
        .require(Requirement.of("/bin/sh"));
  }
}
