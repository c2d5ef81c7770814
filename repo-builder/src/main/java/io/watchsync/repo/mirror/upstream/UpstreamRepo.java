package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.index.Repomd;
import io.watchsync.repo.mirror.MirrorException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One upstream repository opened for reading: its baseurls (from the source, its mirrorlist or
 * metalink), its repomd.xml, and its metadata files fetched on demand into a cache directory of its
 * own, each verified against the checksum repomd.xml gives before it is used.
 */
public final class UpstreamRepo {
  private static final Pattern METALINK_HASH =
      Pattern.compile("<hash type=\"(sha256|sha512|sha1|md5)\">\\s*([0-9a-fA-F]+)\\s*</hash>");
  private static final Pattern METALINK_URL =
      Pattern.compile("<url[^>]*>\\s*([^<\\s]+?)/?repodata/repomd\\.xml\\s*</url>");

  private final UpstreamSource source;
  private final Fetcher fetcher;
  private final Repomd repomd;
  private final Path cache;

  private UpstreamRepo(UpstreamSource source, Fetcher fetcher, Repomd repomd, Path cache) {
    this.source = source;
    this.fetcher = fetcher;
    this.repomd = repomd;
    this.cache = cache;
  }

  /**
   * Finds the baseurls and fetches repomd.xml into {@code cache}.
   *
   * @param rounds how often every baseurl is tried before a file counts as failed
   */
  public static UpstreamRepo open(
      UpstreamSource source, Path cache, int rounds, long backoffMillis, int timeoutMillis)
      throws MirrorException, InterruptedException {
    String where = "repository " + source.id();
    try {
      Files.createDirectories(cache);
      Transport transport = new Transport(source, timeoutMillis);
      List<URI> urls = new ArrayList<>(source.baseurls());
      List<String[]> hashes = new ArrayList<>();
      if (source.metalink() != null) {
        String metalink = text(transport, source.metalink());
        urls.addAll(metalinkUrls(metalink));
        Matcher m = METALINK_HASH.matcher(metalink);
        while (m.find()) {
          hashes.add(new String[] {m.group(1), m.group(2)});
        }
      }
      if (source.mirrorlist() != null) {
        urls.addAll(mirrorlistUrls(transport, source.mirrorlist()));
      }
      if (urls.isEmpty()) {
        throw new MirrorException(where + ": the mirrorlist or metalink names no mirror");
      }
      Fetcher fetcher = new Fetcher(transport, urls, rounds, backoffMillis);
      Path repomdFile = cache.resolve("repomd.xml");
      Files.deleteIfExists(Fetcher.partial(repomdFile)); // it changes in place upstream
      fetcher.fetch(
          "repodata/repomd.xml", repomdFile, -1, file -> repomdProblem(file, hashes), n -> {});
      return new UpstreamRepo(source.withBaseurls(urls), fetcher, Repomd.read(repomdFile), cache);
    } catch (IOException e) {
      throw new MirrorException(where + ": repodata/repomd.xml: " + IoErrors.describe(e), e);
    }
  }

  /**
   * Null when {@code file} is a repomd.xml with primary metadata and, when the metalink gave
   * hashes, matches one of them (a metalink lists the current and recent repomd.xml).
   */
  private static String repomdProblem(Path file, List<String[]> hashes) throws IOException {
    if (!hashes.isEmpty()) {
      boolean matched = false;
      for (String[] h : hashes) {
        if (checksumProblem(file, h[0], h[1]) == null) {
          matched = true;
          break;
        }
      }
      if (!matched) {
        return "matches none of the metalink's checksums";
      }
    }
    return notRepomd(file);
  }

  private static String notRepomd(Path file) {
    try {
      Repomd r = Repomd.read(file);
      return r.record("primary") == null ? "repomd.xml lists no primary metadata" : null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static List<URI> mirrorlistUrls(Transport transport, URI mirrorlist) throws IOException {
    List<URI> urls = new ArrayList<>();
    for (String line : text(transport, mirrorlist).split("\n")) {
      String url = line.strip();
      if (!url.isEmpty() && !url.startsWith("#")) {
        urls.add(URI.create(url));
      }
    }
    return urls;
  }

  private static List<URI> metalinkUrls(String metalink) {
    List<URI> urls = new ArrayList<>();
    Matcher m = METALINK_URL.matcher(metalink);
    while (m.find()) {
      urls.add(URI.create(m.group(1) + "/"));
    }
    return urls;
  }

  private static String text(Transport transport, URI uri) throws IOException {
    try (Transport.Response r = transport.open(uri, 0);
        InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public String id() {
    return source.id();
  }

  /** Which of its packages the run sees. */
  public PackageFilter packages() {
    return source.packages();
  }

  public Fetcher fetcher() {
    return fetcher;
  }

  public Repomd repomd() {
    return repomd;
  }

  /** The SHA-256 of the repomd.xml fetched: what changes whenever anything upstream does. */
  public String repomdChecksum() throws IOException {
    var d = Digests.sha256();
    d.update(Files.readAllBytes(cache.resolve("repomd.xml")));
    return Digests.hex(d);
  }

  /** Whether repomd.xml lists metadata of {@code type}. */
  public boolean has(String type) {
    return repomd.record(type) != null;
  }

  /**
   * The verified local copy of the metadata of {@code type} (still compressed), fetched unless the
   * cache holds it already; null when repomd.xml lists no such type.
   */
  public Path metadata(String type) throws MirrorException, InterruptedException {
    Repomd.Record record = repomd.record(type);
    if (record == null) {
      return null;
    }
    String name = Path.of(record.location()).getFileName().toString();
    Path local = cache.resolve(name);
    Fetcher.Verifier verifier =
        file -> checksumProblem(file, record.checksumType(), record.checksum());
    try {
      if (Files.isRegularFile(local) && verifier.problem(local) == null) {
        return local;
      }
      fetcher.fetch(
          record.location(), local, record.size() > 0 ? record.size() : -1, verifier, n -> {});
      return local;
    } catch (IOException e) {
      throw new MirrorException(
          "repository " + id() + ": " + record.location() + ": " + IoErrors.describe(e), e);
    }
  }

  /** Removes cached metadata files the current repomd.xml no longer lists. */
  public void pruneCache() throws IOException {
    Set<String> keep = new HashSet<>();
    keep.add("repomd.xml");
    for (Repomd.Record r : repomd.records()) {
      keep.add(Path.of(r.location()).getFileName().toString());
    }
    try (var files = Files.list(cache)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!keep.contains(f.getFileName().toString())) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Null when {@code file}'s checksum of {@code type} (as metadata names it) is {@code hex}. */
  public static String checksumProblem(Path file, String type, String hex) throws IOException {
    MessageDigest digest = digestOf(type);
    if (digest == null) {
      return "unknown checksum type " + type;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    String actual = Digests.hex(digest);
    return actual.equalsIgnoreCase(hex)
        ? null
        : "checksum mismatch: " + type + " " + actual + ", upstream says " + hex;
  }

  /** The digest metadata calls {@code type}: sha256, sha512, sha384, sha224, sha1/sha, md5. */
  public static MessageDigest digestOf(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case "sha256" -> Digests.newDigest("SHA-256");
      case "sha512" -> Digests.newDigest("SHA-512");
      case "sha384" -> Digests.newDigest("SHA-384");
      case "sha224" -> Digests.newDigest("SHA-224");
      case "sha1", "sha" -> Digests.newDigest("SHA-1");
      case "md5" -> Digests.newDigest("MD5");
      default -> null;
    };
  }
}
