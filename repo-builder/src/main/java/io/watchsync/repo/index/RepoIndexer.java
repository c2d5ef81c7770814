package io.watchsync.repo.index;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.metadata.MetadataXml;
import io.watchsync.repo.metadata.PackageMetadata;
import io.watchsync.repo.metadata.PackageReader;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.sign.Signer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * {@code repo-builder index}: reads every package of a directory (in parallel), writes primary.xml,
 * filelists.xml and other.xml as createrepo_c would, then swaps the new metadata in with one atomic
 * rename of repomd.xml. Packages flow through in createrepo_c's order (file name, then directory):
 * scanner → readers (workers) → three body files → compressed metadata files → repomd.xml.
 */
public final class RepoIndexer {
  private static final String[] TYPES = {"primary", "filelists", "other"};
  private static final String[] END = {
    MetadataXml.primaryEnd(), MetadataXml.filelistsEnd(), MetadataXml.otherEnd()
  };

  /** The armored detached signature of repomd.xml, beside it. */
  public static final String SIGNATURE = "repomd.xml.asc";

  private final IndexOptions options;
  private final ProgressListener progress;
  private final Signer signer;
  private final KnownChecksums known;

  public RepoIndexer(IndexOptions options, ProgressListener progress) {
    this(options, progress, null);
  }

  /**
   * An indexer that also signs repomd.xml with {@code signer} (null: unsigned), writing the armored
   * detached signature {@code repodata/repomd.xml.asc} that dnf checks with repo_gpgcheck=1.
   */
  public RepoIndexer(IndexOptions options, ProgressListener progress, Signer signer) {
    this(options, progress, signer, KnownChecksums.NONE);
  }

  private RepoIndexer(
      IndexOptions options, ProgressListener progress, Signer signer, KnownChecksums known) {
    this.options = options;
    this.progress = progress;
    this.signer = signer;
    this.known = known;
  }

  /**
   * This indexer, taking the checksums {@code known} gives instead of reading those packages whole:
   * only their headers are read.
   */
  public RepoIndexer trusting(KnownChecksums checksums) {
    return new RepoIndexer(options, progress, signer, checksums);
  }

  /** Indexes {@code root}; packages that cannot be read are reported, not fatal. */
  public IndexReport index(Path root) throws IndexException {
    if (!Files.isDirectory(root)) {
      throw new IndexException(
          root + (Files.exists(root) ? ": not a directory" : ": no such directory"));
    }
    Path repodata = root.resolve("repodata");
    try {
      Files.createDirectories(repodata);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IndexException("cannot create " + repodata + ": a file is in the way", e);
    } catch (IOException e) {
      throw new IndexException("cannot create " + repodata + ": " + IoErrors.reason(e), e);
    }
    try (FileChannel lockFile =
            FileChannel.open(
                repodata.resolve(".repo-builder.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = tryLock(lockFile)) {
      if (lock == null) {
        throw new IndexException(root + ": another repo-builder index is writing this repository");
      }
      return indexLocked(root, repodata);
    } catch (IOException e) {
      throw new IndexException(describe(root, e), e);
    }
  }

  /** "FILE: why", naming the file the failure names, else the repository. */
  private static String describe(Path root, IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      return IoErrors.describe(e);
    }
    return root + ": " + IoErrors.reason(e);
  }

  /** The lock, or null when another process (or another indexer in this one) holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException heldHere) {
      return null;
    }
  }

  private IndexReport indexLocked(Path root, Path repodata) throws IOException, IndexException {
    Path repomdFile = repodata.resolve("repomd.xml");
    Repomd previousRepomd = null;
    if (Files.exists(repomdFile)) {
      try {
        previousRepomd = Repomd.read(repomdFile);
      } catch (IOException e) {
        previousRepomd = null; // replaced below; an unreadable file is no reason to stop
      }
    }
    removeLeftovers(repodata);
    Path bodies = Files.createTempDirectory(repodata, ".bodies-");
    // The tree is walked while the previous metadata is read: both take a while on a large
    // repository, and neither needs the other.
    FutureTask<PackageScanner.Scan> scanning =
        new FutureTask<>(() -> new PackageScanner(options.excludes()).scan(root));
    Background.thread(scanning).start();
    try (PreviousMetadata previous = previous(root, previousRepomd, bodies)) {
      PackageScanner.Scan scan = Background.await(scanning);
      List<PackageScanner.Candidate> candidates = scan.packages();
      Written written = writeBodies(candidates, previous, bodies, repodata);
      List<MetadataFileWriter.RepomdRecord> files =
          written.files != null ? written.files : compress(repodata, bodies, written.count);
      Repomd repomd = newRepomd(files, previousRepomd, root);
      swapIn(repodata, repomd, previousRepomd, signer);
      return new IndexReport(
          written.count,
          written.read,
          written.reused,
          Collections.unmodifiableList(written.rejected),
          scan.unreadable(),
          repomdFile);
    } finally {
      deleteTree(bodies);
    }
  }

  /** What --update may reuse (its documents spilled under {@code bodies}), else nothing. */
  private PreviousMetadata previous(Path root, Repomd previousRepomd, Path bodies)
      throws IOException {
    if (!options.update() || previousRepomd == null) {
      return PreviousMetadata.none();
    }
    Path work = Files.createDirectory(bodies.resolve("previous"));
    try {
      return PreviousMetadata.load(root, previousRepomd, work);
    } catch (IOException | RuntimeException e) {
      // Unreadable or malformed old metadata (a number that is not one, a zstd stream its
      // decompressor rejects with a runtime exception): read every package, as without it.
      return PreviousMetadata.none();
    }
  }

  /** What {@link #writeBodies} put in the body files. */
  private static final class Written {
    int count;
    int read;
    int reused;
    final List<String> rejected = new ArrayList<>();

    /** The metadata files, compressed on the way; null when a rejected package made them wrong. */
    List<MetadataFileWriter.RepomdRecord> files;
  }

  /** One package's outcome: its three entries as UTF-8, or why it was left out. */
  private record Entry(
      byte[] primary, byte[] filelists, byte[] other, boolean reused, String why) {}

  /**
   * Reads the packages and writes their entries to the body files, and, as they come, into the
   * compressed metadata files too, started on the guess that no package is rejected (the count of
   * packages heads each file): compressing then takes no time of its own after the last package.
   * When a package is rejected after all, the body files are compressed again with the right count.
   */
  private Written writeBodies(
      List<PackageScanner.Candidate> candidates,
      PreviousMetadata previous,
      Path bodies,
      Path repodata)
      throws IOException {
    Written written = new Written();
    int workers = Math.max(1, options.workers());
    ExecutorService pool = Executors.newFixedThreadPool(workers, Background::thread);
    PackageReader reader = new PackageReader(options.changelogLimit());
    try (OutputStream primary = body(bodies, "primary");
        OutputStream filelists = body(bodies, "filelists");
        OutputStream other = body(bodies, "other");
        MetadataFileWriter primaryFile = metadataFile(repodata, 0, candidates.size());
        MetadataFileWriter filelistsFile = metadataFile(repodata, 1, candidates.size());
        MetadataFileWriter otherFile = metadataFile(repodata, 2, candidates.size())) {
      Deque<Future<Entry>> inFlight = new ArrayDeque<>();
      int window = workers * 16;
      int next = 0;
      int done = 0;
      while (next < candidates.size() || !inFlight.isEmpty()) {
        while (next < candidates.size() && inFlight.size() < window) {
          PackageScanner.Candidate c = candidates.get(next++);
          inFlight.add(pool.submit(() -> entry(c, previous, reader)));
        }
        Entry e = Background.await(inFlight.poll());
        if (e.why != null) {
          written.rejected.add(e.why);
        } else {
          primary.write(e.primary);
          filelists.write(e.filelists);
          other.write(e.other);
          if (written.rejected.isEmpty()) {
            primaryFile.write(e.primary, 0, e.primary.length);
            filelistsFile.write(e.filelists, 0, e.filelists.length);
            otherFile.write(e.other, 0, e.other.length);
          }
          written.count++;
          if (e.reused) {
            written.reused++;
          } else {
            written.read++;
          }
        }
        progress.progress(++done, candidates.size());
      }
      if (written.rejected.isEmpty()) {
        written.files =
            List.of(finish(primaryFile, 0), finish(filelistsFile, 1), finish(otherFile, 2));
      }
    } finally {
      pool.shutdownNow();
    }
    return written;
  }

  /** The compressed metadata file of {@code TYPES[type]}, its start written for {@code count}. */
  private MetadataFileWriter metadataFile(Path repodata, int type, int count) throws IOException {
    MetadataFileWriter w =
        new MetadataFileWriter(repodata, TYPES[type], options.compression(), options.checksum());
    try {
      w.write(start(type, count));
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** Ends the metadata file of {@code TYPES[type]} and gives it its name. */
  private static MetadataFileWriter.RepomdRecord finish(MetadataFileWriter w, int type)
      throws IOException {
    w.write(END[type]);
    return w.finish();
  }

  private static String start(int type, int count) {
    return switch (type) {
      case 0 -> MetadataXml.primaryStart(count);
      case 1 -> MetadataXml.filelistsStart(count);
      default -> MetadataXml.otherStart(count);
    };
  }

  private Entry entry(PackageScanner.Candidate c, PreviousMetadata previous, PackageReader reader) {
    try {
      long size = Files.size(c.file());
      long mtime = Files.getLastModifiedTime(c.file()).to(TimeUnit.SECONDS);
      PreviousMetadata.Entries old =
          previous.reusable(c.href(), size, mtime, options.checksum(), options.baseUrl());
      if (old != null) {
        return new Entry(
            previous.primary(old), previous.filelists(old), previous.other(old), true, null);
      }
      String pkgid = known.checksum(c.href(), c.file(), options.checksum());
      RpmFile rpm;
      if (pkgid != null) {
        rpm = RpmFile.readHeaders(c.file());
      } else {
        var digest = options.checksum().newDigest();
        rpm = RpmFile.read(c.file(), digest);
        pkgid = HexFormat.of().formatHex(digest.digest());
      }
      PackageMetadata p =
          reader.describe(
              rpm, options.checksum().metadataName(), pkgid, c.href(), options.baseUrl(), mtime);
      StringBuilder sb = new StringBuilder(4096);
      MetadataXml.primary(sb, p);
      byte[] pri = sb.toString().getBytes(StandardCharsets.UTF_8);
      sb.setLength(0);
      MetadataXml.filelists(sb, p);
      byte[] fil = sb.toString().getBytes(StandardCharsets.UTF_8);
      sb.setLength(0);
      MetadataXml.other(sb, p);
      byte[] oth = sb.toString().getBytes(StandardCharsets.UTF_8);
      return new Entry(pri, fil, oth, false, null);
    } catch (RpmException e) {
      return new Entry(null, null, null, false, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Entry(null, null, null, false, c.file() + ": corrupt header: " + e.getMessage());
    } catch (NoSuchFileException e) {
      return new Entry(null, null, null, false, c.file() + ": vanished while indexing");
    } catch (IOException e) {
      return new Entry(null, null, null, false, c.file() + ": cannot read: " + IoErrors.reason(e));
    }
  }

  private static OutputStream body(Path dir, String type) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(dir.resolve(type)), 1 << 16);
  }

  /** The three metadata files, compressed side by side. */
  private List<MetadataFileWriter.RepomdRecord> compress(Path repodata, Path bodies, int count)
      throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(TYPES.length, Background::thread);
    try {
      List<Future<MetadataFileWriter.RepomdRecord>> futures = new ArrayList<>();
      for (int i = 0; i < TYPES.length; i++) {
        int k = i;
        futures.add(
            pool.submit(() -> compressOne(repodata, bodies, TYPES[k], start(k, count), END[k])));
      }
      List<MetadataFileWriter.RepomdRecord> records = new ArrayList<>();
      for (Future<MetadataFileWriter.RepomdRecord> f : futures) {
        records.add(Background.await(f));
      }
      return records;
    } finally {
      pool.shutdownNow();
    }
  }

  private MetadataFileWriter.RepomdRecord compressOne(
      Path repodata, Path bodies, String type, String start, String end) throws IOException {
    try (MetadataFileWriter w =
            new MetadataFileWriter(repodata, type, options.compression(), options.checksum());
        InputStream in = Files.newInputStream(bodies.resolve(type))) {
      w.write(start);
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        w.write(buffer, 0, n);
      }
      w.write(end);
      return w.finish();
    }
  }

  /**
   * The new repomd.xml: our three files, plus any other metadata the previous repomd.xml listed
   * (comps groups, updateinfo, modules) whose file is still there.
   */
  private Repomd newRepomd(
      List<MetadataFileWriter.RepomdRecord> files, Repomd previous, Path root) {
    long now = System.currentTimeMillis() / 1000;
    List<Repomd.Record> records = new ArrayList<>();
    for (MetadataFileWriter.RepomdRecord f : files) {
      records.add(
          new Repomd.Record(
              f.type(),
              options.checksum().metadataName(),
              f.checksum(),
              f.openChecksum(),
              "repodata/" + f.fileName(),
              f.timestamp(),
              f.size(),
              f.openSize(),
              null,
              -1,
              null));
    }
    if (previous != null) {
      for (Repomd.Record r : previous.records()) {
        if (!replacedByIndex(r.type()) && Files.isRegularFile(root.resolve(r.location()))) {
          records.add(r);
        }
      }
    }
    return new Repomd(Long.toString(now), records);
  }

  /** Metadata an index run rewrites (or, for the sqlite and zchunk forms, leaves out). */
  private static boolean replacedByIndex(String type) {
    String base = type.replaceFirst("_zck$", "").replaceFirst("_db$", "");
    return base.equals("primary") || base.equals("filelists") || base.equals("other");
  }

  /**
   * Makes {@code repomd} current with one atomic rename, then removes the metadata files only the
   * previous one used. A signature is renamed into place just before repomd.xml, both written and
   * flushed beforehand, so the pair is apart only for the time between two renames; an unsigned run
   * removes the old signature, which no longer matches.
   */
  private static void swapIn(Path repodata, Repomd repomd, Repomd previous, Signer signer)
      throws IOException {
    byte[] xml = repomd.toXml().getBytes(StandardCharsets.UTF_8);
    Path temp = Files.createTempFile(repodata, ".repomd-", ".tmp", Repodata.PUBLIC);
    Path ascTemp = null;
    Path asc = repodata.resolve(SIGNATURE);
    try {
      writeFlushed(temp, xml);
      if (signer != null) {
        ascTemp = Files.createTempFile(repodata, ".repomd-asc-", ".tmp", Repodata.PUBLIC);
        writeFlushed(ascTemp, signer.signArmored(xml).getBytes(StandardCharsets.US_ASCII));
        Files.move(
            ascTemp,
            asc,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(
          temp,
          repodata.resolve("repomd.xml"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      if (signer == null) {
        Files.deleteIfExists(asc);
      }
    } finally {
      Files.deleteIfExists(temp);
      if (ascTemp != null) {
        Files.deleteIfExists(ascTemp);
      }
    }
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (Repomd.Record r : repomd.records()) {
      keep.add(Path.of(r.location()).getFileName().toString());
    }
    try (var files = Files.list(repodata)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!keep.contains(name) && (isMetadataFile(name) || listedIn(previous, name))) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static void writeFlushed(Path file, byte[] content) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  private static boolean isMetadataFile(String name) {
    return name.matches("[0-9a-f]{32,128}-(primary|filelists|other)(\\.xml|\\.sqlite)(\\..*)?");
  }

  private static boolean listedIn(Repomd repomd, String name) {
    if (repomd == null) {
      return false;
    }
    for (Repomd.Record r : repomd.records()) {
      if (Path.of(r.location()).getFileName().toString().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Temporary files of a run that was killed. */
  private static void removeLeftovers(Path repodata) throws IOException {
    try (var files = Files.list(repodata)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(".bodies-")) {
          deleteTree(f);
        } else if (name.startsWith(".") && name.endsWith(".tmp")) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      List<Path> all = walk.sorted(Collections.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }
}
