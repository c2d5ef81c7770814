package io.watchsync.repo.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.repo.collect.CollectResult.Method;
import io.watchsync.repo.collect.CollectResult.Rejected;
import io.watchsync.repo.collect.CollectResult.Skipped;
import io.watchsync.repo.collect.CollectResult.Taken;
import io.watchsync.repo.collect.CollectResult.Why;
import io.watchsync.repo.testing.FixtureRpms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library under {@code repo-builder collect}: defaults, the listener and the result. */
class CollectorIT {
  @TempDir Path dir;

  @Test
  void withoutSourcesTheDefaultsThatExistAreSearchedAndMissingOnesSkippedSilently()
      throws Exception {
    Path yum = dir.resolve("var/cache/yum");
    Path dnf = Files.createDirectories(dir.resolve("var/cache/dnf"));
    Path dnf5 = Files.createDirectories(dir.resolve("var/cache/libdnf5"));
    Files.createDirectories(dnf.resolve("fedora-1234/packages"));
    Files.copy(
        FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0),
        dnf.resolve("fedora-1234/packages").resolve(FixtureRpms.ALPHA_1_0));

    Collector collector =
        Collector.builder().to(dir.resolve("repo")).defaults(List.of(yum, dnf, dnf5)).build();
    CollectResult result = collector.collect();

    assertEquals(List.of(dnf, dnf5), collector.sources());
    assertEquals(List.of(dnf, dnf5), result.sources());
    assertEquals(1, result.taken().size());
    assertTrue(result.ok());
  }

  @Test
  void whenNoDefaultExistsThereIsNothingToSearchAndNothingFails() throws Exception {
    Collector collector =
        Collector.builder()
            .to(dir.resolve("repo"))
            .defaults(List.of(dir.resolve("none-1"), dir.resolve("none-2")))
            .build();

    CollectResult result = collector.collect();

    assertEquals(List.of(), result.sources());
    assertEquals(0, result.found());
    assertTrue(result.ok());
    assertEquals("collect: 0 taken, 0 skipped, 0 rejected", result.summary());
  }

  @Test
  void aGivenSourceThatIsAFileIsAUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("cache"), "x");
    CollectException e =
        assertThrows(
            CollectException.class,
            () -> Collector.builder().to(dir.resolve("repo")).from(List.of(file)).build());
    assertTrue(e.usageError());
    assertEquals("--from " + file + ": not a directory", e.getMessage());
  }

  @Test
  void aTargetThatCannotBeCreatedIsAFailureNotAUsageError() throws Exception {
    Files.writeString(dir.resolve("file"), "x");
    Collector collector =
        Collector.builder().to(dir.resolve("file/repo")).from(List.of(dir)).build();

    CollectException e = assertThrows(CollectException.class, collector::collect);

    assertFalse(e.usageError());
    assertTrue(
        e.getMessage().startsWith(dir.resolve("file/repo") + ": cannot create"), e.getMessage());
  }

  @Test
  void theListenerHearsOfEveryPackageAsTheResultListsThem() throws Exception {
    Path a = Files.createDirectories(dir.resolve("cache/a-1/packages"));
    Path b = Files.createDirectories(dir.resolve("cache/b-2/packages"));
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0), a.resolve(FixtureRpms.ALPHA_1_0));
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0), b.resolve(FixtureRpms.ALPHA_1_0));
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_1), b.resolve(FixtureRpms.ALPHA_1_1));
    Files.writeString(b.resolve("bad.rpm"), "nope");
    List<Object> heard = new ArrayList<>();
    Collector.Listener listener =
        new Collector.Listener() {
          @Override
          public void taken(Taken t) {
            heard.add(t);
          }

          @Override
          public void skipped(Skipped s) {
            heard.add(s);
          }

          @Override
          public void rejected(Rejected r) {
            heard.add(r);
          }
        };
    Path repo = dir.resolve("repo");

    CollectResult result =
        Collector.builder()
            .to(repo)
            .from(List.of(dir.resolve("cache")))
            .newestOnly(true)
            .listener(listener)
            .build()
            .collect();

    Path alpha10 = a.resolve(FixtureRpms.ALPHA_1_0);
    Path alpha11 = b.resolve(FixtureRpms.ALPHA_1_1);
    assertEquals(
        List.of(
            new Skipped(b.resolve(FixtureRpms.ALPHA_1_0), Why.DUPLICATE, alpha10, null),
            new Rejected(b.resolve("bad.rpm"), "not an RPM (no RPM lead)"),
            new Skipped(alpha10, Why.OLDER, alpha11, "alpha-1.1-1.noarch"),
            new Taken(alpha11, repo.resolve(FixtureRpms.ALPHA_1_1), Method.HARD_LINK)),
        heard);
    assertEquals(List.of(heard.get(3)), result.taken());
    assertEquals(List.of(heard.get(0), heard.get(2)), result.skipped());
    assertEquals(List.of(heard.get(1)), result.rejected());
    assertEquals(
        "collect: 1 taken, 2 skipped (1 duplicate, 1 older version), 1 rejected", result.summary());
    assertFalse(result.ok());
  }
}
