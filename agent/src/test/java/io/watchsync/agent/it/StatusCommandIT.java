package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code watchsync status} reading a running agent. */
@EnabledOnOs(OS.LINUX)
class StatusCommandIT extends WithReplicationFixture {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int watchsync(String... args) {
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void statusPrintsOneLinePerTargetWithStatePendingLagAndFilesSent() throws Exception {
    f.write("a.txt", "a");
    f.write("b/c.txt", "c");
    f.startAgent();
    f.assertReplicated();

    int code = watchsync("status", "--url", f.agent.statusUrl());

    assertEquals(0, code, err::toString);
    List<String> lines = out.toString().lines().toList();
    assertEquals(3, lines.size(), out::toString);
    assertTrue(
        lines.get(0).matches("TARGET +STATE +PENDING +LAG +FILES SENT +LAST SUCCESS +LAST ERROR"),
        lines.get(0));
    String name = f.agent.targetStatus().get(0).name();
    assertTrue(
        lines
            .get(1)
            .matches(
                "\\Q"
                    + name
                    + "\\E +up +0 +0s +[34] +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +-"),
        lines.get(1));
    assertEquals("2 directories watched", lines.get(2));
  }

  @Test
  void statusShowsADownTargetWithItsPendingChangesAndLastError() throws Exception {
    f.startAgent();
    f.daemon.stop();
    f.write("a.txt", "a");
    String name = f.agent.targetStatus().get(0).name();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> f.agent.targetStatus().get(0).down(),
        () -> "the target to be marked down");

    int code = watchsync("status", "--url", f.agent.statusUrl());

    assertEquals(0, code, err::toString);
    String line = out.toString().lines().skip(1).findFirst().orElseThrow();
    assertTrue(line.matches("\\Q" + name + "\\E +down +1 +\\S+ +0 .* rsync exit \\d+: .*"), line);
  }

  @Test
  void statusReadsTheAddressFromTheConfigurationFile() throws Exception {
    f.startAgent();
    int port = Integer.parseInt(f.agent.statusUrl().replaceAll(".*:", ""));
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        "source: "
            + f.source
            + "\ntargets:\n  - /srv/elsewhere\nstatus:\n  address: 127.0.0.1\n  port: "
            + port
            + "\n");

    int code = watchsync("status", "-c", config.toString());

    assertEquals(0, code, err::toString);
    assertTrue(out.toString().startsWith("TARGET"), out::toString);
  }

  @Test
  void statusExitsOneWithAOneLineMessageWhenTheAgentIsUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int code = watchsync("status", "--url", "http://127.0.0.1:" + port);
    assertEquals(1, code);
    assertEquals(
        "watchsync: cannot reach the agent at http://127.0.0.1:"
            + port
            + ": connection refused (is watchsync running, with the status endpoint on?)\n",
        err.toString());
    assertEquals("", out.toString());
  }
}
