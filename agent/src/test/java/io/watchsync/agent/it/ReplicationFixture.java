package io.watchsync.agent.it;

import io.watchsync.agent.Agent;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import io.watchsync.agent.testing.RsyncDaemon;
import io.watchsync.agent.testing.TreeComparison;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A source tree, a real rsync daemon as the backup, and an agent replicating between them. */
final class ReplicationFixture implements AutoCloseable {
  static final Duration CONVERGE = Duration.ofSeconds(20);

  final Path source;
  final Path state;
  final RsyncDaemon daemon;
  final List<String> excludes = new ArrayList<>();

  /** The status endpoint's max_lag; the port is chosen by the kernel so tests never collide. */
  Duration maxLag = Duration.ofSeconds(60);

  String statusAddress = "127.0.0.1";

  final List<CallbackConfig> callbacks = new ArrayList<>();

  /** How changes are cut into runs and how many may wait one by one. */
  AgentConfig.Batching batching = AgentConfig.Batching.DEFAULT;

  /** Whether the agent runs a full sync at start even after a clean stop. */
  boolean initialSync = true;

  /** The target URL, when not the daemon's module (e.g. a module the daemon does not have). */
  String targetUrl;

  Agent agent;

  ReplicationFixture(Path work) throws IOException {
    this.source = Files.createDirectories(work.resolve("source"));
    this.state = Files.createDirectories(work.resolve("state"));
    this.daemon = RsyncDaemon.start(Files.createDirectories(work.resolve("daemon")));
  }

  AgentConfig config() throws Exception {
    return AgentConfig.quick(
            source,
            List.of(targetUrl != null ? targetUrl : daemon.url()),
            daemon.clientPasswordFile(),
            excludes)
        .withStateDir(state)
        .withStatus(new AgentConfig.Status(true, statusAddress, 0, maxLag))
        .withCallbacks(callbacks)
        .withBatching(batching)
        .withInitialSync(initialSync);
  }

  Agent startAgent() throws Exception {
    return startAgent(ReplicationListener.NONE);
  }

  Agent startAgent(ReplicationListener listener) throws Exception {
    agent = Agent.start(config(), listener);
    awaitIdle();
    return agent;
  }

  void awaitIdle() {
    Await.until(CONVERGE, agent::isIdle, () -> "agent to finish its queue");
  }

  /** Waits until the replica equals the source (file by file), then checks once more. */
  void assertReplicated() {
    Await.until(
        CONVERGE,
        () -> TreeComparison.differences(source, daemon.replicaDir()).isEmpty(),
        () ->
            "replica to match the source: "
                + TreeComparison.differences(source, daemon.replicaDir()));
    TreeComparison.assertIdentical(source, daemon.replicaDir());
  }

  /** GETs {@code path} from the agent's status endpoint. */
  Http.Answer get(String path) throws IOException, InterruptedException {
    return Http.get(agent.statusUrl() + path);
  }

  Path write(String relative, String content) throws IOException {
    Path p = source.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /** Runs a shell command in the source directory (for names Java cannot create). */
  void sh(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", script)
            .directory(source.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("sh -c '" + script + "' failed: " + output);
    }
  }

  @Override
  public void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
    daemon.close();
  }
}
