package io.watchsync.agent.it;

import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reload test needs: a source tree, the configuration file the agent reads, and two real
 * rsync daemons, {@code first} and {@code second}, that the file can name as targets.
 */
final class ReloadFixture implements AutoCloseable {
  final Path source;
  final Path state;
  final Path config;
  final RsyncDaemon first;
  final RsyncDaemon second;

  /** The file's {@code status} section, in YAML flow style. */
  String status = "{port: 0}";

  ReloadFixture(Path work) throws IOException {
    this.source = Files.createDirectories(work.resolve("source"));
    this.state = work.resolve("state");
    this.config = work.resolve("watchsync.yml");
    this.first = RsyncDaemon.start(work.resolve("first"));
    this.second = RsyncDaemon.start(work.resolve("second"));
  }

  /** Writes the configuration file: {@code excludes}, then each daemon as a target. */
  void writeConfig(List<String> excludes, RsyncDaemon... daemons) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("source: " + source);
    lines.add("state_dir: " + state);
    lines.add("status: " + status);
    lines.add(
        "excludes: ["
            + String.join(", ", excludes.stream().map(e -> "\"" + e + "\"").toList())
            + "]");
    lines.add("targets:");
    for (RsyncDaemon d : daemons) {
      lines.add("  - name: " + (d == first ? "first" : "second"));
      lines.add("    url: " + d.url());
      lines.add("    password_file: " + d.clientPasswordFile());
    }
    Files.writeString(config, String.join("\n", lines) + "\n");
  }

  /** Waits until {@code name} has reached the replica of {@code d}. */
  static void awaitFile(RsyncDaemon d, String name) {
    Path p = d.replicaDir().resolve(name);
    Await.until(ReplicationFixture.CONVERGE, () -> Files.exists(p), () -> p + " on the replica");
  }

  @Override
  public void close() throws Exception {
    first.close();
    second.close();
  }
}
