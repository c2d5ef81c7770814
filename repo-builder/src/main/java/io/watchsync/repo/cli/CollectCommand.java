package io.watchsync.repo.cli;

import io.watchsync.repo.collect.CollectException;
import io.watchsync.repo.collect.CollectResult;
import io.watchsync.repo.collect.Collector;
import io.watchsync.repo.index.IndexException;
import io.watchsync.repo.index.IndexOptions;
import io.watchsync.repo.index.IndexReport;
import io.watchsync.repo.index.ProgressListener;
import io.watchsync.repo.index.RepoIndexer;
import io.watchsync.repo.sign.PackageVerifier;
import io.watchsync.repo.sign.SigningException;
import io.watchsync.repo.sign.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code repo-builder collect}: gathers the RPMs cached by yum and dnf into one directory. */
@Command(
    name = "collect",
    description = {
      "Collects the RPMs cached by yum and dnf into one directory.",
      "Every RPM is checked, then hard-linked (same file system) or copied into DIR, once: the"
          + " same file cached by two repositories is taken once. A file in DIR is never replaced.",
      "Searched: *.rpm files directly inside directories named 'packages' (the yum, dnf and"
          + " dnf5 cache layouts); in a tree without such a directory, every *.rpm file."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every RPM found was taken or skipped",
      "1:some file was rejected (not a sound RPM, with --gpgcheck not signed by a --gpgkey key,",
      "  a name conflict in DIR, a read or write error)",
      "2:usage error (a --from directory that does not exist, --to not a directory, --gpgcheck",
      "  without a readable --gpgkey)"
    })
public final class CollectCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "Where to collect the RPMs; created if missing (required, no default).")
  Path to;

  @Option(
      names = "--from",
      paramLabel = "CACHE_DIR",
      description =
          "A directory to search; repeat for several (default: those of /var/cache/yum,"
              + " /var/cache/dnf and /var/cache/libdnf5 that exist).")
  List<Path> from = new ArrayList<>();

  @Option(
      names = "--newest-only",
      description =
          "Keep only the newest version of each name.arch (source RPMs: name.src)"
              + " (default: off, every version is taken).")
  boolean newestOnly;

  @Option(
      names = "--index",
      description =
          "Then index DIR as 'repo-builder index --update DIR' does, so it is a repository"
              + " (default: off).")
  boolean index;

  @Option(
      names = "--gpgcheck",
      description =
          "Take only packages signed by one of the --gpgkey keys and unchanged since, checked as"
              + " rpm checks them; reject the others, naming the key ID found (default: off).")
  boolean gpgcheck;

  @Option(
      names = "--gpgkey",
      paramLabel = "PUBKEY",
      description =
          "An armored public key (RPM-GPG-KEY-*) whose signatures --gpgcheck accepts;"
              + " repeatable (default: none).")
  List<Path> gpgkeys = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PackageVerifier verifier = null;
    try {
      if (gpgcheck) {
        verifier = new PackageVerifier(TrustedKeys.read(gpgkeys));
      } else if (!gpgkeys.isEmpty()) {
        throw SigningException.config("--gpgkey needs --gpgcheck");
      }
    } catch (SigningException e) {
      err.println(OneLine.of("repo-builder collect: " + e.getMessage()));
      return ExitCodes.USAGE;
    }
    try {
      Collector collector =
          Collector.builder()
              .to(to)
              .from(from)
              .newestOnly(newestOnly)
              .verifier(verifier)
              .listener(new Printer(out, err))
              .build();
      CollectResult result = collector.collect();
      if (result.found() == 0) {
        err.println("repo-builder collect: warning: " + nothingFound(result));
      }
      out.println(result.summary());
      out.flush();
      boolean indexed = !index || index(result.target(), out, err);
      return result.ok() && indexed ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (CollectException e) {
      err.println("repo-builder collect: " + e.getMessage());
      return e.usageError() ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }
  }

  /** Indexes the collected directory, reusing what an earlier run indexed; true when clean. */
  private static boolean index(Path dir, PrintWriter out, PrintWriter err) {
    ProgressListener progress = TerminalProgress.forConsole(err, "indexing");
    try {
      IndexReport report =
          new RepoIndexer(IndexOptions.defaults().withUpdate(true), progress).index(dir);
      TerminalProgress.clear(progress);
      for (String line : report.unreadable()) {
        err.println(
            OneLine.of("repo-builder collect: index: warning: cannot open directory " + line));
      }
      for (String line : report.rejected()) {
        err.println(OneLine.of("repo-builder collect: index: rejected " + line));
      }
      out.println(
          "index: "
              + report.packages()
              + " packages ("
              + report.read()
              + " read, "
              + report.reused()
              + " reused); metadata in "
              + report.repomd().getParent());
      return report.rejected().isEmpty();
    } catch (IndexException e) {
      TerminalProgress.clear(progress);
      err.println(OneLine.of("repo-builder collect: index: " + e.getMessage()));
      return false;
    }
  }

  private static String nothingFound(CollectResult result) {
    if (result.sources().isEmpty()) {
      return "none of " + joined(Collector.DEFAULT_SOURCES) + " exists; give --from";
    }
    return "no RPMs found in "
        + joined(result.sources())
        + " (dnf keeps downloaded packages only with keepcache=1 in /etc/dnf/dnf.conf)";
  }

  private static String joined(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }

  /**
   * One line per package as soon as its fate is known: taken and skipped on out, rejected on err.
   */
  private record Printer(PrintWriter out, PrintWriter err) implements Collector.Listener {
    @Override
    public void taken(CollectResult.Taken taken) {
      out.println(taken.describe());
    }

    @Override
    public void skipped(CollectResult.Skipped skipped) {
      out.println(skipped.describe());
    }

    @Override
    public void rejected(CollectResult.Rejected rejected) {
      err.println(rejected.describe());
    }
  }
}
