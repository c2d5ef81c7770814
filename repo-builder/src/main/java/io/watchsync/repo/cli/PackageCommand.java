package io.watchsync.repo.cli;

import io.watchsync.repo.build.PackagingException;
import io.watchsync.repo.build.ProjectPackages;
import io.watchsync.repo.sign.RpmSigner;
import io.watchsync.repo.sign.Signer;
import io.watchsync.repo.sign.SigningException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code repo-builder package}: builds the watchsync and watchsync-repo-builder RPMs. */
@Command(
    name = "package",
    description = {
      "Builds watchsync-VERSION-RELEASE.noarch.rpm (the agent as a systemd service) and",
      "watchsync-repo-builder-VERSION-RELEASE.noarch.rpm (this tool), without rpmbuild.",
      "With --sign-key both are signed as 'repo-builder sign' signs."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:both RPMs written",
      "1:a package could not be built or signed (missing input file, write error)",
      "2:usage error (bad version or release, a --sign-key that cannot be read or unlocked)"
    })
public final class PackageCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin SigningKeyOptions signing;

  @Option(
      names = "--agent-jar",
      required = true,
      paramLabel = "JAR",
      description = "The agent's runnable jar, e.g. agent/target/watchsync.jar.")
  Path agentJar;

  @Option(
      names = "--tool-jar",
      required = true,
      paramLabel = "JAR",
      description = "repo-builder's runnable jar, e.g. repo-builder/target/repo-builder.jar.")
  Path toolJar;

  @Option(
      names = "--packaging",
      required = true,
      paramLabel = "DIR",
      description =
          "Directory with launcher.in, watchsync.service, watchsync.yml, watchsync.sysconfig,"
              + " 90-watchsync.conf and changelog.")
  Path packaging;

  @Option(
      names = "--readme",
      paramLabel = "FILE",
      description =
          "Shipped as documentation (default: README.md next to the packaging directory).")
  Path readme;

  @Option(
      names = "--license",
      paramLabel = "FILE",
      description = "The license text (default: LICENSE next to the packaging directory).")
  Path license;

  @Option(
      names = "--version",
      required = true,
      paramLabel = "VERSION",
      description = "Package version: the Maven project version, e.g. 0.1.0 (no '-').")
  String version;

  @Option(
      names = "--release",
      defaultValue = "1",
      paramLabel = "RELEASE",
      description = "Package release (default: ${DEFAULT-VALUE}).")
  String release;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where to write the RPMs (created if missing).")
  Path out;

  /** Runs {@code package} on its own (without the top-level command): used by tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new PackageCommand());
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String badVersion = invalidToken("--version", version);
    String badRelease = invalidToken("--release", release);
    if (badVersion != null || badRelease != null) {
      err.println("repo-builder package: " + (badVersion != null ? badVersion : badRelease));
      return ExitCodes.USAGE;
    }
    Signer signer;
    try {
      signer = signing.load();
    } catch (SigningException e) {
      err.println(OneLine.of("repo-builder package: " + e.getMessage()));
      return ExitCodes.USAGE;
    }
    Path root = packaging.toAbsolutePath().normalize().getParent();
    ProjectPackages.Inputs inputs =
        new ProjectPackages.Inputs(
            agentJar,
            toolJar,
            packaging,
            readme != null ? readme : root.resolve("README.md"),
            license != null ? license : root.resolve("LICENSE"),
            version,
            release);
    try {
      List<Path> written = new ProjectPackages().build(inputs, this.out);
      if (signer != null) {
        RpmSigner rpmSigner = new RpmSigner(signer);
        for (Path rpm : written) {
          rpmSigner.sign(rpm);
        }
      }
      for (Path rpm : written) {
        out.println(rpm);
      }
      return ExitCodes.OK;
    } catch (PackagingException | SigningException e) {
      err.println(OneLine.of("repo-builder package: " + e.getMessage()));
      return ExitCodes.FAILURE;
    }
  }

  /** rpm forbids '-' in versions and releases (it separates them); returns why, or null. */
  private static String invalidToken(String option, String value) {
    if (!value.matches("[A-Za-z0-9._+^]+")) {
      return option
          + " '"
          + value
          + "': use letters, digits and . _ + only"
          + (value.contains("-") ? " ('-' separates version and release in rpm)" : "");
    }
    return null;
  }
}
