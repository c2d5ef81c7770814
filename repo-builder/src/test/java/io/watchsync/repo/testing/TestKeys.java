package io.watchsync.repo.testing;

import io.watchsync.repo.sign.KeyGenerator;
import io.watchsync.repo.sign.KeyIds;
import io.watchsync.repo.sign.SigningException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Signing keys made once per test JVM by repo-builder's own key generator (2048 bits, to keep the
 * suite quick), in a temporary directory removed when the JVM exits: the site key packages are
 * meant to be signed with, and another key that must be refused.
 */
public final class TestKeys {
  /** One key's two files and its id as messages show it (16 hex digits). */
  public record Key(Path publicKey, Path secretKey, String keyId) {
    /** The last 8 hex digits, as rpm shows a key id. */
    public String shortId() {
      return keyId.substring(8);
    }
  }

  private static Path root;
  private static Key site;
  private static Key other;

  private TestKeys() {}

  public static synchronized Key site() throws IOException {
    if (site == null) {
      site = make("Watchsync Test Site <site@example.org>");
    }
    return site;
  }

  public static synchronized Key other() throws IOException {
    if (other == null) {
      other = make("Someone Else <other@example.org>");
    }
    return other;
  }

  private static Key make(String userId) throws IOException {
    try {
      KeyGenerator.KeyFiles files = new KeyGenerator(userId, 2048).writeTo(root(), null);
      return new Key(files.publicKey(), files.secretKey(), KeyIds.format(files.keyId()));
    } catch (SigningException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static Path root() throws IOException {
    if (root == null) {
      root = Files.createTempDirectory("test-keys-");
      Path created = root;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (Stream<Path> s = Files.walk(created)) {
                      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (IOException e) {
                      // Best effort: a temporary directory.
                    }
                  }));
    }
    return root;
  }
}
