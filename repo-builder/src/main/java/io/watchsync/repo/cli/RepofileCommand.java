package io.watchsync.repo.cli;

import io.watchsync.repo.repofile.Repofile;
import io.watchsync.repo.repofile.RepofileException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code repo-builder repofile}: prints a .repo file for a repository. */
@Command(
    name = "repofile",
    description = {
      "Prints a yum/dnf .repo file for one repository.",
      "Example:",
      "  repo-builder repofile --id local --baseurl /srv/repo \\",
      "    --gpgkey /etc/pki/rpm-gpg/RPM-GPG-KEY-site > /etc/yum.repos.d/local.repo"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the .repo file was printed", "2:usage error (a bad or missing value)"})
public final class RepofileCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "The repository id: letters, digits and - _ . : (required, no default).")
  String id;

  @Option(
      names = "--baseurl",
      required = true,
      paramLabel = "URL",
      description =
          "The repository's file://, http://, https:// or ftp:// URL; an absolute path is"
              + " turned into a file:// URL (required, no default).")
  String baseurl;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "A human-readable name (default: the id).")
  String name;

  @Option(
      names = "--enabled",
      defaultValue = "1",
      paramLabel = "0|1",
      description = "Whether dnf uses the repository (default: ${DEFAULT-VALUE}).")
  String enabled;

  @Option(
      names = "--gpgcheck",
      paramLabel = "0|1",
      description =
          "Whether dnf checks package signatures (default: 1 with --gpgkey, else 0). 1 without"
              + " --gpgkey needs the keys imported on each host (rpm --import); a warning says so.")
  String gpgcheck;

  @Option(
      names = "--repo-gpgcheck",
      paramLabel = "0|1",
      description =
          "Whether dnf checks the signature of the repository's metadata, repomd.xml.asc"
              + " (default: 1 with --gpgkey, else 0).")
  String repoGpgcheck;

  @Option(
      names = "--gpgkey",
      paramLabel = "URL",
      description =
          "URL (or absolute path) of the public key that signs the packages and the repository,"
              + " e.g. the RPM-GPG-KEY-* of repo-builder keygen (default: none, no gpgkey line).")
  String gpgkey;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Repofile repo = Repofile.of(id, name, baseurl, enabled, gpgcheck, repoGpgcheck, gpgkey);
      repo.warnings().forEach(w -> err.println("repo-builder repofile: warning: " + w));
      out.print(repo.render());
      out.flush();
      return ExitCodes.OK;
    } catch (RepofileException e) {
      err.println("repo-builder repofile: --" + e.getMessage());
      return ExitCodes.USAGE;
    }
  }
}
