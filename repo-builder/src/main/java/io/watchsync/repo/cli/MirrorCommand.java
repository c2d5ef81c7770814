package io.watchsync.repo.cli;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.mirror.Mirror;
import io.watchsync.repo.mirror.MirrorException;
import io.watchsync.repo.mirror.MirrorReport;
import io.watchsync.repo.mirror.resolve.Arches;
import io.watchsync.repo.mirror.upstream.RepoFileReader;
import io.watchsync.repo.mirror.upstream.Transport;
import io.watchsync.repo.mirror.upstream.UpstreamSource;
import io.watchsync.repo.sign.PackageVerifier;
import io.watchsync.repo.sign.SigningException;
import io.watchsync.repo.sign.TrustedKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code repo-builder mirror}: a local, indexed repository of packages and their closure. */
@Command(
    name = "mirror",
    description = {
      "Mirrors packages and everything they need from upstream YUM/DNF repositories into DIR,"
          + " indexed, so that 'dnf install PKG' works from DIR alone.",
      "PKG is a name or name.arch, a glob ('java-17-*'), @GROUP from comps, a file path"
          + " ('/usr/bin/rsync') or any capability ('java-17-headless'). The closure follows"
          + " Requires (versioned, files, rich), Obsoletes and, unless --no-weak-deps,"
          + " Recommends and Supplements, as 'dnf download --resolve --alldeps' does.",
      "Every file is verified against the upstream checksum and the RPM's own digests before it"
          + " takes its final name; a re-run fetches only what is new or changed and resumes"
          + " partial files. Upstream comps, modules and updateinfo are carried over."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:DIR holds the closure and is indexed",
      "1:something is missing: a PKG matched nothing, a requirement cannot be satisfied, or a"
          + " file could not be fetched or kept failing verification (named on stderr); the rest"
          + " is mirrored and indexed",
      "2:usage error (no upstream, a malformed --repo or .repo file, nothing asked for)"
    })
public final class MirrorCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  /** How long fetching a gpgkey= URL may wait for an answer. */
  private static final int KEY_TIMEOUT_MILLIS = 30_000;

  @Mixin HelpOption help;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "The local repository; created if missing (required).")
  Path to;

  @Option(
      names = "--repo",
      paramLabel = "ID=URL",
      description = "An upstream repository by its baseurl (http, https, file); repeatable.")
  List<String> repos = new ArrayList<>();

  @Option(
      names = "--repofile",
      paramLabel = "FILE",
      description =
          "The enabled repositories of a .repo file (baseurl, mirrorlist, metalink, username,"
              + " password, sslcacert, sslclientcert, sslclientkey, proxy); repeatable.")
  List<Path> repofiles = new ArrayList<>();

  @Option(
      names = "--releasever",
      paramLabel = "VER",
      description = "The value of $releasever in .repo files (e.g. 9).")
  String releasever;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "Base architecture to mirror for, repeatable (default: this machine's); noarch and,"
              + " on x86_64, i686 come along: a PKG in each arch, as dnf download takes it,"
              + " dependencies in the arch dnf install would take.")
  List<String> arches = new ArrayList<>();

  @Option(names = "--all", description = "Mirror every package of the upstreams (a full sync).")
  boolean all;

  @Option(
      names = "--keep",
      paramLabel = "N",
      description = "Versions of each selected name.arch to keep (default: ${DEFAULT-VALUE}).")
  int keep = 1;

  @Option(names = "--no-weak-deps", description = "Do not follow Recommends and Supplements.")
  boolean noWeakDeps;

  @Option(
      names = "--all-providers",
      description =
          "Where several packages provide what is required, take each of them (newest of each"
              + " name), not only the one dnf would pick.")
  boolean allProviders;

  @Option(
      names = "--module",
      paramLabel = "NAME:STREAM",
      description = "A module stream to take packages from besides the default ones; repeatable.")
  List<String> modules = new ArrayList<>();

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Files downloaded at once (default: ${DEFAULT-VALUE}).")
  int jobs = 8;

  @Option(
      names = "--retries",
      paramLabel = "N",
      description =
          "Rounds over every baseurl before a file counts as failed, with a doubling pause"
              + " (default: ${DEFAULT-VALUE}).")
  int retries = 4;

  @Option(
      names = "--delete",
      description = "Remove packages from DIR/Packages that the closure no longer holds.")
  boolean delete;

  @Option(
      names = "--gpgcheck",
      description =
          "Take only packages signed by one of the keys (--gpgkey, and the gpgkey= URLs of the"
              + " --repofile sections): each is checked as rpm does (header signature, digests,"
              + " header and payload signature) before it takes its name; the others are refused"
              + " and named with the key ID they carry, and stay out of the mirror.")
  boolean gpgcheck;

  @Option(
      names = "--gpgkey",
      paramLabel = "FILE",
      description = "An armored public key (RPM-GPG-KEY-*) --gpgcheck accepts; repeatable.")
  List<Path> gpgkeys = new ArrayList<>();

  @Parameters(paramLabel = "PKG", arity = "0..*", description = "What to mirror.")
  List<String> packages = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MirrorProgress progress = new MirrorProgress(err, System.console() != null);
    try {
      List<UpstreamSource> sources = sources();
      Mirror.Builder mirror =
          Mirror.builder()
              .target(to)
              .sources(sources)
              .signatures(signatures(sources))
              .arches(arches)
              .packages(packages)
              .all(all)
              .keep(keep)
              .weakDeps(!noWeakDeps)
              .allProviders(allProviders)
              .jobs(jobs)
              .delete(delete)
              .retries(retries, 500)
              .listener(progress);
      for (String m : modules) {
        int colon = m.indexOf(':');
        if (colon <= 0 || colon == m.length() - 1) {
          throw new MirrorException("--module " + m + ": use NAME:STREAM", true);
        }
        mirror.moduleStream(m.substring(0, colon), m.substring(colon + 1));
      }
      if (keep < 1 || jobs < 1 || retries < 1) {
        throw new MirrorException("--keep, --jobs and --retries must be at least 1", true);
      }
      MirrorReport report = mirror.build().run();
      progress.clear();
      for (String arg : report.unmatched()) {
        err.println(OneLine.of("repo-builder mirror: no package matches " + arg));
      }
      for (String problem : report.problems()) {
        err.println(OneLine.of("repo-builder mirror: " + problem));
      }
      out.println(report.summary());
      out.flush();
      return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (MirrorException e) {
      progress.clear();
      err.println(OneLine.of("repo-builder mirror: " + e.getMessage()));
      return e.usageError() ? ExitCodes.USAGE : ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("repo-builder mirror: interrupted");
      return ExitCodes.FAILURE;
    }
  }

  /** The signature check of --gpgcheck, or null without it. */
  private PackageVerifier signatures(List<UpstreamSource> sources) throws MirrorException {
    if (!gpgcheck) {
      if (!gpgkeys.isEmpty()) {
        throw new MirrorException("--gpgkey needs --gpgcheck", true);
      }
      return null;
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (Path key : gpgkeys) {
      keys.put(key.toString(), readKey(key.toString(), key));
    }
    for (UpstreamSource source : sources) {
      if (source.gpgkeys().isEmpty()) {
        continue;
      }
      // The source's own transport: its proxy, credentials and TLS settings apply, as dnf's do.
      Transport transport;
      try {
        transport = new Transport(source, KEY_TIMEOUT_MILLIS);
      } catch (IOException e) {
        throw new MirrorException(
            "[" + source.id() + "]: cannot set up TLS: " + IoErrors.describe(e), true);
      }
      for (URI url : source.gpgkeys()) {
        keys.put(url.toString(), fetchKey("[" + source.id() + "] gpgkey " + url, transport, url));
      }
    }
    if (keys.isEmpty()) {
      throw new MirrorException(
          "--gpgcheck needs a key: --gpgkey FILE, or gpgkey= in the --repofile section", true);
    }
    try {
      return new PackageVerifier(TrustedKeys.parse(keys));
    } catch (SigningException e) {
      throw new MirrorException(e.getMessage(), e.configError());
    }
  }

  private static byte[] readKey(String name, Path file) throws MirrorException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MirrorException(name + ": cannot read: " + IoErrors.describe(e), true);
    }
  }

  /** A key of a {@code gpgkey=} URL; one on this machine that cannot be read is a usage error. */
  private static byte[] fetchKey(String name, Transport transport, URI url) throws MirrorException {
    boolean local = "file".equalsIgnoreCase(url.getScheme());
    try (Transport.Response r = transport.open(url, 0)) {
      return r.body().readAllBytes();
    } catch (IOException e) {
      throw new MirrorException(
          name + (local ? ": cannot read: " : ": cannot fetch: ") + IoErrors.describe(e), local);
    }
  }

  private List<UpstreamSource> sources() throws MirrorException {
    List<UpstreamSource> sources = new ArrayList<>();
    for (String repo : repos) {
      int eq = repo.indexOf('=');
      if (eq <= 0 || eq == repo.length() - 1) {
        throw new MirrorException("--repo " + repo + ": use ID=URL", true);
      }
      String url = repo.substring(eq + 1);
      URI uri;
      try {
        uri = URI.create(url.startsWith("/") ? "file://" + url : url);
      } catch (IllegalArgumentException e) {
        throw new MirrorException("--repo " + repo + ": not a URL", true);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if (!List.of("http", "https", "file").contains(scheme)) {
        throw new MirrorException("--repo " + repo + ": use an http, https or file URL", true);
      }
      sources.add(UpstreamSource.of(repo.substring(0, eq), uri));
    }
    Map<String, String> variables = new HashMap<>();
    String basearch = arches.isEmpty() ? Arches.machine() : arches.get(0);
    variables.put("basearch", basearch);
    variables.put("arch", basearch);
    if (releasever != null) {
      variables.put("releasever", releasever);
    }
    RepoFileReader reader = new RepoFileReader(variables);
    for (Path file : repofiles) {
      for (UpstreamSource s : reader.read(file)) {
        if (s.baseurls().stream().anyMatch(u -> u.toString().contains("$releasever"))
            || (s.mirrorlist() != null && s.mirrorlist().toString().contains("$releasever"))
            || (s.metalink() != null && s.metalink().toString().contains("$releasever"))) {
          throw new MirrorException(
              "--repofile " + file + " [" + s.id() + "] uses $releasever: give --releasever", true);
        }
        sources.add(s);
      }
    }
    return sources;
  }
}
