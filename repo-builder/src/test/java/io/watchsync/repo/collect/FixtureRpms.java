package io.watchsync.repo.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Small RPMs built once per test run by the real rpmbuild, kept in a temporary directory that is
 * removed when the JVM exits. Every package is noarch; the alpha packages come with their source
 * RPMs.
 */
public final class FixtureRpms {
  public static final String ALPHA_1_0 = "alpha-1.0-1.noarch.rpm";
  public static final String ALPHA_1_1 = "alpha-1.1-1.noarch.rpm";
  public static final String ALPHA_1_0_SRC = "alpha-1.0-1.src.rpm";
  public static final String ALPHA_1_1_SRC = "alpha-1.1-1.src.rpm";

  /** beta 2.0-1 without an epoch: older than {@link #BETA_EPOCH_1_1_0}. */
  public static final String BETA_2_0 = "beta-2.0-1.noarch.rpm";

  /** beta 1:1.0-1: its epoch makes it newer than 2.0-1. */
  public static final String BETA_EPOCH_1_1_0 = "beta-1.0-1.noarch.rpm";

  /** gamma 1.0~rc1-1: a pre-release, older than {@link #GAMMA_1_0}. */
  public static final String GAMMA_1_0_RC1 = "gamma-1.0~rc1-1.noarch.rpm";

  public static final String GAMMA_1_0 = "gamma-1.0-1.noarch.rpm";

  private static FixtureRpms built;

  private final Map<String, Path> rpms;
  private final Path rebuiltAlpha10;

  private FixtureRpms(Map<String, Path> rpms, Path rebuiltAlpha10) {
    this.rpms = rpms;
    this.rebuiltAlpha10 = rebuiltAlpha10;
  }

  /** The fixtures, built on first use. */
  public static synchronized FixtureRpms get() {
    if (built == null) {
      try {
        built = build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return built;
  }

  /** The package of that file name. */
  public Path rpm(String fileName) {
    Path p = rpms.get(fileName);
    if (p == null) {
      throw new IllegalArgumentException("no fixture " + fileName);
    }
    return p;
  }

  /** alpha-1.0-1.noarch.rpm built a second time: same name, different bytes. */
  public Path rebuiltAlpha10() {
    return rebuiltAlpha10;
  }

  private static FixtureRpms build() throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("fixture-rpms");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
    Map<String, Path> rpms = new HashMap<>();
    collect(rpmbuild(work.resolve("alpha-1.0"), "alpha", 0, "1.0", true), rpms);
    collect(rpmbuild(work.resolve("alpha-1.1"), "alpha", 0, "1.1", true), rpms);
    collect(rpmbuild(work.resolve("beta-2.0"), "beta", 0, "2.0", false), rpms);
    collect(rpmbuild(work.resolve("beta-1-1.0"), "beta", 1, "1.0", false), rpms);
    collect(rpmbuild(work.resolve("gamma-rc"), "gamma", 0, "1.0~rc1", false), rpms);
    collect(rpmbuild(work.resolve("gamma"), "gamma", 0, "1.0", false), rpms);
    // Each build packs fresh random data, so the rebuild has the same name and other bytes.
    Path rebuilt =
        rpmbuild(work.resolve("alpha-1.0-again"), "alpha", 0, "1.0", false).stream()
            .filter(p -> p.getFileName().toString().equals(ALPHA_1_0))
            .findFirst()
            .orElseThrow();
    return new FixtureRpms(rpms, rebuilt);
  }

  private static void collect(List<Path> found, Map<String, Path> into) {
    for (Path p : found) {
      into.put(p.getFileName().toString(), p);
    }
  }

  /** Builds NAME-[EPOCH:]VERSION-1.noarch.rpm (and its source RPM) under {@code top}. */
  private static List<Path> rpmbuild(
      Path top, String name, int epoch, String version, boolean withSource)
      throws IOException, InterruptedException {
    Files.createDirectories(top);
    Path spec = top.resolve(name + ".spec");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "Name: " + name,
            "Version: " + version,
            "Release: 1",
            epoch != 0 ? "Epoch: " + epoch : "",
            "Summary: A fixture package",
            "License: MIT",
            "BuildArch: noarch",
            "%description",
            "A fixture package.",
            "%install",
            "mkdir -p %{buildroot}/usr/share/" + name,
            "head -c 20000 /dev/urandom > %{buildroot}/usr/share/" + name + "/data",
            "%files",
            "/usr/share/" + name + "/data",
            ""),
        StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                "rpmbuild",
                "--quiet",
                "--define",
                "_topdir " + top.resolve("top"),
                "--define",
                "_build_id_links none",
                withSource ? "-ba" : "-bb",
                spec.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("rpmbuild " + spec + " failed: " + out);
    }
    try (Stream<Path> s = Files.walk(top.resolve("top"))) {
      return s.filter(f -> f.toString().endsWith(".rpm")).toList();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: it is a temporary directory.
    }
  }
}
