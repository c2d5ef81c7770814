package io.watchsync.repo.cli;

import io.watchsync.repo.index.ChecksumType;
import io.watchsync.repo.index.Compression;
import io.watchsync.repo.index.IndexException;
import io.watchsync.repo.index.IndexOptions;
import io.watchsync.repo.index.IndexReport;
import io.watchsync.repo.index.ProgressListener;
import io.watchsync.repo.index.RepoIndexer;
import io.watchsync.repo.sign.Signer;
import io.watchsync.repo.sign.SigningException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code repo-builder index DIR}: writes DIR/repodata/ as createrepo_c would. */
@Command(
    name = "index",
    description = {
      "Writes DIR/repodata/ so yum and dnf can install the RPMs under DIR.",
      "The metadata (repomd.xml, primary, filelists, other) is what createrepo_c",
      "writes for the same packages. Every package is verified (digests, size) first; a broken",
      "one is reported and left out. New metadata replaces the old with one atomic",
      "rename of repomd.xml. With --sign-key, repodata/repomd.xml.asc (an armored",
      "detached signature of repomd.xml, for repo_gpgcheck=1) is written with it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:metadata written, every package found indexed (directories that cannot be",
      "  opened are skipped with a warning, as createrepo_c does)",
      "1:metadata written without the packages reported as rejected, or nothing written",
      "2:usage error (bad option value, DIR missing or not a directory, a --sign-key that",
      "  cannot be read or unlocked)"
    })
public final class IndexCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin SigningKeyOptions signing;

  @Parameters(paramLabel = "DIR", description = "The repository directory (RPMs at any depth).")
  Path dir;

  @Option(
      names = "--update",
      description =
          "Reuse the existing metadata of packages whose size and modification time did not"
              + " change; read only new and changed ones.")
  boolean update;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Packages read at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--compress",
      paramLabel = "gz|xz|zstd",
      defaultValue = "gz",
      description = "Compression of the metadata files (default: ${DEFAULT-VALUE}).")
  String compress;

  @Option(
      names = "--checksum",
      paramLabel = "sha256|sha512|sha1",
      defaultValue = "sha256",
      description = "Checksum of packages and metadata files (default: ${DEFAULT-VALUE}).")
  String checksum;

  @Option(
      names = "--baseurl",
      paramLabel = "URL",
      description = "Base URL written into each package's location (default: none).")
  String baseUrl;

  @Option(
      names = "--changelog-limit",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Newest changelog entries kept per package; -1 keeps all (default: ${DEFAULT-VALUE}).")
  int changelogLimit;

  @Option(
      names = "--excludes",
      paramLabel = "GLOB",
      description =
          "Leave out packages whose file name or path in DIR matches GLOB, and directories"
              + " whose name matches it, as createrepo_c does ('*' matches '/' too, '?' one"
              + " character); repeatable (default: none).")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing but errors.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Compression compression = Compression.parse(compress);
    ChecksumType checksumType = ChecksumType.parse(checksum);
    String usage = null;
    if (compression == null) {
      usage = "--compress '" + compress + "': use gz, xz or zstd";
    } else if (checksumType == null) {
      usage = "--checksum '" + checksum + "': use sha256, sha512 or sha1";
    } else if (workers < 1) {
      usage = "--workers " + workers + ": use 1 or more";
    } else if (changelogLimit < -1) {
      usage = "--changelog-limit " + changelogLimit + ": use -1 (all), 0 or more";
    } else if (!Files.isDirectory(dir)) {
      usage = dir + (Files.exists(dir) ? ": not a directory" : ": no such directory");
    }
    if (usage != null) {
      err.println(OneLine.of("repo-builder index: " + usage));
      return ExitCodes.USAGE;
    }
    Signer signer;
    try {
      signer = signing.load();
    } catch (SigningException e) {
      err.println(OneLine.of("repo-builder index: " + e.getMessage()));
      return ExitCodes.USAGE;
    }
    IndexOptions options =
        new IndexOptions(
            update, workers, compression, checksumType, baseUrl, changelogLimit, excludes);
    ProgressListener progress =
        quiet ? ProgressListener.NONE : TerminalProgress.forConsole(err, "indexing");
    IndexReport report;
    try {
      report = new RepoIndexer(options, progress, signer).index(dir);
    } catch (IndexException e) {
      TerminalProgress.clear(progress);
      err.println(OneLine.of("repo-builder index: " + e.getMessage()));
      return ExitCodes.FAILURE;
    }
    TerminalProgress.clear(progress);
    if (!quiet) {
      // createrepo_c warns too (and --quiet silences it): the rest is indexed, exit code 0.
      for (String line : report.unreadable()) {
        err.println(OneLine.of("repo-builder index: warning: cannot open directory " + line));
      }
    }
    for (String line : report.rejected()) {
      err.println(OneLine.of("repo-builder index: rejected " + line));
    }
    if (!quiet) {
      out.println(OneLine.of(summary(report)));
    }
    return report.rejected().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private String summary(IndexReport r) {
    StringBuilder s = new StringBuilder();
    s.append(dir)
        .append(": ")
        .append(r.packages())
        .append(r.packages() == 1 ? " package" : " packages");
    if (update) {
      s.append(" (").append(r.read()).append(" read, ").append(r.reused()).append(" reused)");
    }
    if (!r.rejected().isEmpty()) {
      s.append(", ").append(r.rejected().size()).append(" rejected");
    }
    if (!r.unreadable().isEmpty()) {
      int n = r.unreadable().size();
      s.append(", ").append(n).append(n == 1 ? " directory" : " directories").append(" unreadable");
    }
    s.append("; metadata in ").append(r.repomd().getParent());
    return s.toString();
  }
}
