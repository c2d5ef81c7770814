package io.watchsync.repo.mirror;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.index.IndexException;
import io.watchsync.repo.index.IndexOptions;
import io.watchsync.repo.index.IndexReport;
import io.watchsync.repo.index.ProgressListener;
import io.watchsync.repo.index.RepoIndexer;
import io.watchsync.repo.mirror.download.Downloader;
import io.watchsync.repo.mirror.download.MirrorState;
import io.watchsync.repo.mirror.download.Placement;
import io.watchsync.repo.mirror.model.CompsGroups;
import io.watchsync.repo.mirror.model.FilelistsParser;
import io.watchsync.repo.mirror.model.Modules;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.model.PrimaryParser;
import io.watchsync.repo.mirror.publish.ExtraMetadata;
import io.watchsync.repo.mirror.resolve.Arches;
import io.watchsync.repo.mirror.resolve.ModuleFilter;
import io.watchsync.repo.mirror.resolve.Pool;
import io.watchsync.repo.mirror.resolve.Resolver;
import io.watchsync.repo.mirror.resolve.Selector;
import io.watchsync.repo.mirror.upstream.MetadataStreams;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import io.watchsync.repo.mirror.upstream.UpstreamSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;

/**
 * {@code repo-builder mirror}: upstream repositories → package closure → verified downloads →
 * indexed local repository. Each stage is its own piece: {@link UpstreamRepo} (metadata), {@link
 * Selector} and {@link Resolver} (what to take), {@link Downloader} (files), {@link RepoIndexer}
 * and {@link ExtraMetadata} (the new repodata, swapped in atomically).
 *
 * <p>Packages live in {@code DIR/Packages/}; the upstream metadata cache, the verification state
 * and the lock in {@code DIR/.mirror/}, which no index reads (hidden).
 */
public final class Mirror {
  /** Told what happens, for progress on a terminal. */
  public interface Listener extends Downloader.Listener {
    default void phase(String what) {}
  }

  private final Path target;
  private final List<UpstreamSource> sources;
  private final Arches arches;
  private final List<String> args;
  private final boolean all;
  private final int keep;
  private final Resolver.Options resolverOptions;
  private final Map<String, String> moduleStreams;
  private final int jobs;
  private final boolean delete;
  private final int rounds;
  private final long backoffMillis;
  private final int timeoutMillis;
  private final Listener listener;

  private Mirror(Builder b) {
    this.target = b.target;
    this.sources = List.copyOf(b.sources);
    this.arches = Arches.of(b.arches.isEmpty() ? List.of(Arches.machine()) : b.arches);
    this.args = List.copyOf(b.args);
    this.all = b.all;
    this.keep = b.keep;
    this.resolverOptions = new Resolver.Options(b.weakDeps, b.allProviders);
    this.moduleStreams = Map.copyOf(b.moduleStreams);
    this.jobs = b.jobs;
    this.delete = b.delete;
    this.rounds = b.rounds;
    this.backoffMillis = b.backoffMillis;
    this.timeoutMillis = b.timeoutMillis;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  public MirrorReport run() throws MirrorException, InterruptedException {
    if (sources.isEmpty()) {
      throw new MirrorException("no upstream repository: give --repo ID=URL or --repofile", true);
    }
    if (!all && args.isEmpty()) {
      throw new MirrorException("nothing to mirror: name packages, or give --all", true);
    }
    Path work = target.resolve(".mirror");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new MirrorException("--to " + IoErrors.describe(e), true);
    }
    try (FileChannel lockFile =
            FileChannel.open(
                work.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new MirrorException(target + ": another repo-builder mirror is writing it");
      }
      return runLocked(work);
    } catch (IOException e) {
      throw new MirrorException(target + ": " + IoErrors.describe(e), e);
    }
  }

  private MirrorReport runLocked(Path work) throws MirrorException, InterruptedException {
    listener.phase("reading upstream metadata");
    List<UpstreamRepo> repos = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (UpstreamSource s : sources) {
      if (!ids.add(s.id())) {
        throw new MirrorException("repository id " + s.id() + " given twice", true);
      }
      repos.add(
          UpstreamRepo.open(
              s, work.resolve("cache").resolve(s.id()), rounds, backoffMillis, timeoutMillis));
    }
    List<Pkg> everything = new ArrayList<>();
    CompsGroups groups = new CompsGroups();
    Modules modules = new Modules();
    ExtraMetadata extra = new ExtraMetadata();
    PrimaryParser parser = new PrimaryParser();
    for (int i = 0; i < repos.size(); i++) {
      UpstreamRepo repo = repos.get(i);
      int index = i;
      read(
          repo,
          "primary",
          in ->
              parser.parse(
                  index,
                  in,
                  p -> {
                    if (arches.accepts(p.arch())) {
                      everything.add(p);
                    }
                  }));
      String comps = repo.has("group_gz") ? "group_gz" : repo.has("group") ? "group" : null;
      if (comps != null) {
        byte[] xml = bytes(repo, comps);
        read(xml, groups::read, repo.id() + " comps");
        extra.addComps(xml);
      }
      if (repo.has("modules")) {
        byte[] yaml = bytes(repo, "modules");
        try {
          modules.read(new java.io.ByteArrayInputStream(yaml));
        } catch (RuntimeException e) {
          throw new MirrorException(
              "repository " + repo.id() + ": modules.yaml: " + e.getMessage(), e);
        }
        extra.addModules(yaml);
      }
      if (repo.has("updateinfo")) {
        extra.addUpdateinfo(
            repo.metadata("updateinfo"), repo.repomd().record("updateinfo").checksum());
      }
    }

    listener.phase("resolving");
    ModuleFilter filter = new ModuleFilter(modules, moduleStreams);
    Pool pool = new Pool(all ? everything : everything.stream().filter(filter::visible).toList());
    Selector selector = new Selector(pool, groups, arches, keep);
    Set<Pkg> roots = new LinkedHashSet<>();
    List<String> unmatched = List.of();
    if (all) {
      roots.addAll(selector.all());
      everything.stream().filter(filter::modular).forEach(roots::add);
    }
    if (!args.isEmpty()) {
      Selector.Selection s = selector.select(args);
      roots.addAll(s.roots());
      unmatched = s.unmatched();
    }
    Resolver.Result closure = new Resolver(pool, arches, resolverOptions).resolve(roots);
    Set<String> filesRead = new HashSet<>();
    while (!closure.unresolvedFiles().isEmpty() && filesRead.addAll(closure.unresolvedFiles())) {
      // File requirements primary.xml does not answer: read filelists.xml, only for those paths.
      Set<String> wanted = Set.copyOf(closure.unresolvedFiles());
      for (UpstreamRepo repo : repos) {
        if (repo.has("filelists")) {
          read(repo, "filelists", in -> FilelistsParser.parse(in, wanted, pool::addFile));
        }
      }
      closure = new Resolver(pool, arches, resolverOptions).resolve(roots);
    }

    listener.phase("downloading");
    Path packages = target.resolve("Packages");
    MirrorState state = MirrorState.load(work.resolve("state"));
    Placement placement = new Placement(target, state);
    Map<String, Downloader.Task> tasks = new LinkedHashMap<>();
    List<Path> superseded = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      for (Pkg p : closure.chosen()) {
        if (!names.add(p.fileName())) {
          continue; // the same file from two upstreams: the first one
        }
        Placement.Placed placed = placement.place(p);
        tasks.put(
            placed.key(),
            new Downloader.Task(p, repos.get(p.repo()).fetcher(), placed.target(), placed.key()));
        if (placed.superseded() != null) {
          superseded.add(placed.superseded());
        }
      }
    } catch (IOException e) {
      throw new MirrorException(IoErrors.describe(e), e);
    }
    Downloader.Outcome outcome;
    try {
      outcome = new Downloader(jobs, state, listener).download(List.copyOf(tasks.values()));
    } catch (IOException e) {
      saveQuietly(state);
      throw new MirrorException(IoErrors.describe(e), e);
    }
    try {
      state.save();
    } catch (IOException e) {
      throw new MirrorException(work + ": cannot save state: " + IoErrors.describe(e), e);
    }

    listener.phase("indexing");
    List<Path> unwanted = new ArrayList<>(superseded);
    if (delete) {
      for (Path p : unwanted(placement, packages, tasks.keySet())) {
        if (!unwanted.contains(p)) {
          unwanted.add(p);
        }
      }
    }
    String fingerprint = fingerprint(tasks.values(), extra);
    Path published = work.resolve("published");
    boolean unchanged =
        outcome.fetched() == 0
            && unwanted.isEmpty()
            && Files.isRegularFile(target.resolve("repodata/repomd.xml"))
            && fingerprint.equals(readQuietly(published));
    if (!unchanged) {
      // A new index even when only the upstream comps, modules or updateinfo changed.
      deleteQuietly(published);
      index(unwanted, extra, mirroredFiles(tasks.values()));
    }
    int deleted = 0;
    for (Path p : unwanted) {
      try {
        Files.deleteIfExists(p);
        state.forget(placement.key(p));
        Path dir = p.getParent();
        if (!dir.equals(packages) && isEmpty(dir)) {
          Files.deleteIfExists(dir);
        }
        if (p.getFileName().toString().endsWith(".rpm")) {
          deleted++;
        }
      } catch (IOException e) {
        throw new MirrorException("cannot remove " + IoErrors.describe(e), e);
      }
    }
    try {
      state.save();
      if (!unchanged) {
        writeAtomically(published, fingerprint);
      }
      for (UpstreamRepo repo : repos) {
        repo.pruneCache();
      }
    } catch (IOException e) {
      throw new MirrorException(work + ": " + IoErrors.describe(e), e);
    }
    return new MirrorReport(
        tasks.size(),
        outcome.fetched(),
        outcome.present(),
        deleted,
        outcome.bytes(),
        unmatched,
        closure.problems(),
        outcome.failures(),
        filter.streams());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** Packages (and stale partial files) under Packages/ that the closure no longer holds. */
  private static List<Path> unwanted(Placement placement, Path packages, Set<String> wanted)
      throws MirrorException {
    if (!Files.isDirectory(packages)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(packages, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".rpm.part")) {
                  String real = name.substring(1, name.length() - ".part".length());
                  return !wanted.contains(placement.key(f.resolveSibling(real)));
                }
                return name.endsWith(".rpm") && !wanted.contains(placement.key(f));
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new MirrorException("--delete: " + IoErrors.describe(e), e);
    }
  }

  /**
   * Indexes the mirror (reusing what the last index read), leaving out what is about to be deleted,
   * then adds the upstream groups, modules and updateinfo.
   */
  private void index(List<Path> unwanted, ExtraMetadata extra, Set<String> mirrored)
      throws MirrorException {
    List<String> excludes = unwanted.stream().map(p -> target.relativize(p).toString()).toList();
    IndexOptions defaults = IndexOptions.defaults();
    IndexOptions options =
        new IndexOptions(
            true,
            defaults.workers(),
            defaults.compression(),
            defaults.checksum(),
            null,
            defaults.changelogLimit(),
            excludes);
    try {
      IndexReport report = new RepoIndexer(options, ProgressListener.NONE).index(target);
      if (!report.rejected().isEmpty()) {
        throw new MirrorException("index: rejected " + report.rejected().get(0));
      }
      extra.publish(target.resolve("repodata"), mirrored);
    } catch (IndexException e) {
      throw new MirrorException("index: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MirrorException("index: " + IoErrors.describe(e), e);
    }
  }

  /**
   * What the published index covers: every package file with its upstream checksum, and the carried
   * metadata. A run that fetched and deleted nothing and finds the same need not index.
   */
  private static String fingerprint(Iterable<Downloader.Task> tasks, ExtraMetadata extra) {
    var d = io.watchsync.repo.files.Digests.sha256();
    List<String> lines = new ArrayList<>();
    for (Downloader.Task t : tasks) {
      lines.add(t.key() + "\t" + t.pkg().checksum());
    }
    java.util.Collections.sort(lines);
    for (String line : lines) {
      d.update((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    d.update(extra.fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return io.watchsync.repo.files.Digests.hex(d);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // then the next run indexes again, which is only slower
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, text + "\n");
    Files.move(
        temp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The file names of the closure's packages that are in place. */
  private static Set<String> mirroredFiles(java.util.Collection<Downloader.Task> tasks) {
    Set<String> names = new HashSet<>();
    for (Downloader.Task t : tasks) {
      if (Files.isRegularFile(t.target())) {
        names.add(t.pkg().fileName());
      }
    }
    return names;
  }

  private static void saveQuietly(MirrorState state) {
    try {
      state.save();
    } catch (IOException ignored) {
      // the next run re-verifies what this one could not record
    }
  }

  @FunctionalInterface
  private interface StreamReader {
    void read(InputStream in) throws XMLStreamException, IOException;
  }

  private static void read(UpstreamRepo repo, String type, StreamReader reader)
      throws MirrorException, InterruptedException {
    Path file = repo.metadata(type);
    try (InputStream in = MetadataStreams.open(file)) {
      reader.read(in);
    } catch (XMLStreamException | IOException e) {
      throw new MirrorException(
          "repository " + repo.id() + ": " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static void read(byte[] data, StreamReader reader, String what) throws MirrorException {
    try {
      reader.read(new java.io.ByteArrayInputStream(data));
    } catch (XMLStreamException | IOException e) {
      throw new MirrorException(what + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(UpstreamRepo repo, String type)
      throws MirrorException, InterruptedException {
    Path file = repo.metadata(type);
    try {
      return MetadataStreams.readAll(file);
    } catch (IOException e) {
      throw new MirrorException(
          "repository " + repo.id() + ": " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** Configures a run; {@link #target} and at least one source are required. */
  public static final class Builder {
    private Path target;
    private final List<UpstreamSource> sources = new ArrayList<>();
    private final List<String> arches = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private boolean all;
    private int keep = 1;
    private boolean weakDeps = true;
    private boolean allProviders;
    private final Map<String, String> moduleStreams = new LinkedHashMap<>();
    private int jobs = 8;
    private boolean delete;
    private int rounds = 4;
    private long backoffMillis = 500;
    private int timeoutMillis = 30_000;
    private Listener listener = new Listener() {};

    private Builder() {}

    public Builder target(Path dir) {
      this.target = dir;
      return this;
    }

    public Builder sources(List<UpstreamSource> s) {
      sources.addAll(s);
      return this;
    }

    /** Base architectures; none means the machine's. */
    public Builder arches(List<String> a) {
      arches.addAll(a);
      return this;
    }

    public Builder packages(List<String> a) {
      args.addAll(a);
      return this;
    }

    public Builder all(boolean value) {
      all = value;
      return this;
    }

    public Builder keep(int n) {
      keep = n;
      return this;
    }

    public Builder weakDeps(boolean value) {
      weakDeps = value;
      return this;
    }

    public Builder allProviders(boolean value) {
      allProviders = value;
      return this;
    }

    public Builder moduleStream(String name, String stream) {
      moduleStreams.put(name, stream);
      return this;
    }

    public Builder jobs(int n) {
      jobs = n;
      return this;
    }

    public Builder delete(boolean value) {
      delete = value;
      return this;
    }

    /** How often every baseurl is tried for one file, and the first pause between rounds. */
    public Builder retries(int roundsPerFile, long firstBackoffMillis) {
      rounds = roundsPerFile;
      backoffMillis = firstBackoffMillis;
      return this;
    }

    public Builder timeoutMillis(int millis) {
      timeoutMillis = millis;
      return this;
    }

    public Builder listener(Listener l) {
      listener = l;
      return this;
    }

    public Mirror build() {
      if (target == null) {
        throw new IllegalStateException("target is required");
      }
      return new Mirror(this);
    }
  }
}
