package io.watchsync.repo.mirror;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What the mirror tests run besides repo-builder: dnf against a repository, and file listings. */
final class MirrorTestSupport {
  static final Duration DEADLINE = Duration.ofMinutes(3);

  /** How many packages the fixture's app needs, weak dependencies included. */
  static final int APP_CLOSURE = 12;

  private MirrorTestSupport() {}

  /** dnf with no configuration of this machine: only {@code repoUrl}, in {@code root}. */
  static Command dnf(Path root, String repoUrl, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "dnf",
                "--installroot=" + root,
                "--releasever=9",
                "--setopt=reposdir=/dev/null",
                "--setopt=cachedir=" + root.resolve("var/cache/dnf-test"),
                "--disableplugin=local",
                "--nogpgcheck",
                "-y",
                "--repofrompath=mirror," + repoUrl,
                "--repo=mirror"));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command);
  }

  /** The *.rpm file names directly in {@code dir}. */
  static Set<String> rpms(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new TreeSet<>();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return new TreeSet<>(
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpm")).toList());
    }
  }
}
