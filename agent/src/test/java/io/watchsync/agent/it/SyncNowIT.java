package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import io.watchsync.agent.testing.LogCapture;
import io.watchsync.agent.testing.TreeComparison;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code watchsync sync-now} against a running agent. */
@EnabledOnOs(OS.LINUX)
class SyncNowIT extends WithReplicationFixture {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int watchsync(String... args) {
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void syncNowRestoresAFileDeletedFromTheReplicaBehindTheAgentsBack() throws Exception {
    f.write("precious/data.txt", "must be on the backup");
    f.startAgent();
    f.assertReplicated();
    Path onReplica = f.daemon.replicaDir().resolve("precious/data.txt");
    Files.delete(onReplica);
    f.awaitIdle();
    assertTrue(Files.notExists(onReplica), "nothing repairs the replica by itself");

    int code = watchsync("sync-now", "--url", f.agent.statusUrl());

    assertEquals(0, code, err::toString);
    assertEquals("full sync requested for every target\n", out.toString());
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> Files.exists(onReplica),
        () -> "the full sync to restore " + onReplica);
    f.assertReplicated();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> f.agent.metrics().target(name()).fullSyncs() == 2,
        () -> "the full sync to be counted");
  }

  @Test
  void syncNowForOneTargetNamesIt() throws Exception {
    f.startAgent();
    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--target", name());
    assertEquals(0, code, err::toString);
    assertEquals("full sync requested for " + name() + "\n", out.toString());
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> f.agent.metrics().target(name()).fullSyncs() == 2,
        () -> "a second full sync");
  }

  @Test
  void syncNowWithAllowDeletesRunsAFullSyncThatMayDeleteBeyondTheBudgetOnce() throws Exception {
    f.startAgent();
    try (LogCapture log = LogCapture.start()) {
      int code =
          watchsync(
              "sync-now", "--url", f.agent.statusUrl(), "--target", name(), "--allow-deletes");

      assertEquals(0, code, err::toString);
      assertEquals(
          "full sync requested for " + name() + "; it may delete beyond max_delete, this once\n",
          out.toString());
      Await.until(
          ReplicationFixture.CONVERGE,
          () -> f.agent.metrics().target(name()).fullSyncs() == 2,
          () -> "the full sync asked for to run");
      assertTrue(
          log.anyContains(
              name() + ": full sync started (asked for with sync-now --allow-deletes",
              "deletions allowed by sync-now --allow-deletes"),
          log::toString);
    }
  }

  @Test
  void syncNowWaitReturnsOnlyOnceTheReplicaHasEveryChangeMadeBeforeIt() throws Exception {
    f.write("precious/data.txt", "must be on the backup");
    f.startAgent();
    f.assertReplicated();
    Path onReplica = f.daemon.replicaDir().resolve("precious/data.txt");
    Files.delete(onReplica);
    f.awaitIdle();

    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--wait");

    assertEquals(0, code, err::toString);
    // No waiting here: the command's return is the promise.
    assertTrue(Files.exists(onReplica), "the full sync put the file back before the return");
    TreeComparison.assertIdentical(f.source, f.daemon.replicaDir());
    List<String> lines = out.toString().lines().toList();
    assertEquals("full sync requested for every target", lines.get(0));
    assertTrue(
        lines.get(1).matches("\\Q" + name() + "\\E: full sync done, [0-9.]+ s after the request"),
        out::toString);
    assertEquals(2, lines.size(), out::toString);
  }

  @Test
  void syncNowWaitFailsAtOnceWhenTheFullSyncIsHeldByTheDeletionBudget() throws Exception {
    f.write("kept.txt", "one file in the source");
    f.startAgent();
    f.assertReplicated();
    // Files only the replica has: the full sync would delete 10 of its 11 entries.
    for (int i = 0; i < 10; i++) {
      Files.writeString(f.daemon.replicaDir().resolve("extra-" + i), "only on the backup");
    }

    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--wait", "--timeout", "60s");

    assertEquals(1, code, out::toString);
    assertTrue(
        err.toString().startsWith("watchsync: " + name() + ": full sync held: "), err::toString);
    assertTrue(err.toString().contains("max_delete"), err::toString);
    assertEquals(1, err.toString().lines().count(), err::toString);
    assertTrue(Files.exists(f.daemon.replicaDir().resolve("extra-0")), "nothing deleted");
  }

  @Test
  void syncNowWaitGivesUpAfterItsTimeoutNamingTheTargetThatIsDown() throws Exception {
    f.startAgent();
    f.daemon.stop();

    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--wait", "--timeout", "3s");

    assertEquals(1, code, out::toString);
    assertTrue(
        err.toString().startsWith("watchsync: full sync not done within 3s: " + name() + " is "),
        err::toString);
  }

  @Test
  void syncNowWaitWithATimeoutThatIsNoDurationIsAUsageError() throws Exception {
    f.startAgent();
    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--wait", "--timeout", "soon");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--timeout: not a duration: \"soon\""), err::toString);
  }

  @Test
  void syncNowForAnUnknownTargetFailsWithExitOne() throws Exception {
    f.startAgent();
    int code = watchsync("sync-now", "--url", f.agent.statusUrl(), "--target", "nope");
    assertEquals(1, code);
    assertEquals("watchsync: no target named \"nope\"\n", err.toString());
  }

  @Test
  void syncNowWithoutARunningAgentSaysSoInOneLine() throws Exception {
    f.startAgent();
    String url = f.agent.statusUrl();
    f.agent.close();
    int code = watchsync("sync-now", "--url", url);
    assertEquals(1, code);
    assertTrue(
        err.toString().startsWith("watchsync: cannot reach the agent at " + url), err::toString);
    assertEquals(1, err.toString().lines().count(), err::toString);
  }

  @Test
  void syncNowIsRefusedFromAnotherMachineWhileHealthStaysReadable() throws Exception {
    InetAddress outside = nonLoopbackAddress();
    Assumptions.assumeTrue(outside != null, "this machine has no address besides loopback");
    f.statusAddress = "0.0.0.0";
    f.startAgent();
    String port = f.agent.statusUrl().replaceAll(".*:", "");
    String base = "http://" + outside.getHostAddress() + ":" + port;
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/sync-now"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(403, refused.statusCode());
    assertEquals("sync-now is accepted from this machine only\n", refused.body());
    assertEquals(200, Http.get(base + "/health").code());
    f.awaitIdle();
    assertEquals(1, f.agent.metrics().target(name()).fullSyncs(), "no full sync was asked for");
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    }
    return null;
  }

  private String name() {
    return f.agent.targetStatus().get(0).name();
  }
}
