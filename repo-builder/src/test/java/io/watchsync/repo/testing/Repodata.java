package io.watchsync.repo.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.watchsync.repo.index.Compression;
import io.watchsync.repo.index.Repomd;
import io.watchsync.repo.metadata.MetadataReader;
import io.watchsync.repo.metadata.PackageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Reads a repository's metadata back, whoever wrote it, and compares two of them. */
public final class Repodata {
  private Repodata() {}

  public static Repomd repomd(Path repo) throws IOException {
    return Repomd.read(repo.resolve("repodata/repomd.xml"));
  }

  /** The uncompressed bytes of one metadata file (primary, filelists, other). */
  public static byte[] open(Path repo, String type) throws IOException {
    Repomd.Record r = repomd(repo).record(type);
    Path file = repo.resolve(r.location());
    Compression c = Compression.ofFileName(file.getFileName().toString());
    try (InputStream in = c.decompress(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /** Every package of the repository, keyed by its location href. */
  public static Map<String, PackageMetadata> packages(Path repo) throws IOException {
    MetadataReader reader = new MetadataReader();
    reader.readPrimary(new java.io.ByteArrayInputStream(open(repo, "primary")));
    reader.readFilelists(new java.io.ByteArrayInputStream(open(repo, "filelists")));
    reader.readOther(new java.io.ByteArrayInputStream(open(repo, "other")));
    Map<String, PackageMetadata> out = new LinkedHashMap<>();
    for (PackageMetadata p : reader.packages()) {
      out.put(p.locationHref(), p);
    }
    return out;
  }

  /**
   * Asserts that both repositories list the same packages and that every field of every package is
   * equal, naming the package and the field that differs.
   */
  public static void assertSamePackages(
      Map<String, PackageMetadata> expected, Map<String, PackageMetadata> actual) {
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), "packages");
    for (String href : expected.keySet()) {
      PackageMetadata e = expected.get(href);
      PackageMetadata a = actual.get(href);
      for (RecordComponent c : PackageMetadata.class.getRecordComponents()) {
        try {
          Object ev = c.getAccessor().invoke(e);
          Object av = c.getAccessor().invoke(a);
          if (ev instanceof List<?> el && av instanceof List<?> al) {
            for (int i = 0; i < Math.min(el.size(), al.size()); i++) {
              assertEquals(el.get(i), al.get(i), href + ": " + c.getName() + "[" + i + "]");
            }
          }
          assertEquals(ev, av, href + ": " + c.getName());
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }
    }
  }
}
