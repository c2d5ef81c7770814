package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.watchsync.repo.build.RpmDefinition;
import io.watchsync.repo.build.RpmWriter;
import io.watchsync.repo.metadata.PackageMetadata;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.Repodata;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XML 1.0 cannot carry control characters: a package whose header holds them is still indexed, with
 * them left out, and the metadata stays valid XML. (createrepo_c refuses such a package.)
 */
class ControlCharactersTest {
  @TempDir Path repo;

  @Test
  void controlCharactersInAHeaderAreLeftOutAndTheMetadataStaysValidXml() throws Exception {
    new RpmWriter()
        .write(
            new RpmDefinition("bell", "1.0", "1")
                .summary("rings\u0007 the bell\u001b[1m")
                .description("line\u0001one, two\u0002three")
                .license("MIT")
                .url("https://example.org/bell"),
            repo);

    RepoBuilder run = RepoBuilder.run("index", repo.toString());

    assertEquals(0, run.exit(), run.toString());
    PackageMetadata bell = Repodata.packages(repo).values().iterator().next();
    assertEquals("rings the bell[1m", bell.summary());
    assertEquals("lineone, twothree", bell.description());
  }
}
