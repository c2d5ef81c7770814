package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Work;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.SshServer;
import io.watchsync.agent.testing.TreeComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsync runs to an ssh target through a real OpenSSH server on 127.0.0.1: the runs share one login,
 * a connection the server drops is replaced by a new login, and closing the transport ends the
 * master.
 */
@EnabledOnOs(OS.LINUX)
class SharedSshConnectionIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  Path source;
  Path replica;
  Path state;
  SshServer server;
  RsyncTransport transport;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(SshServer.available(), "needs OpenSSH's sshd (openssh-server) and root");
    source = Files.createDirectories(work.resolve("source"));
    replica = Files.createDirectories(work.resolve("replica"));
    state = Files.createDirectories(work.resolve("state"));
    server = SshServer.start(work.resolve("sshd"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (transport != null) {
      transport.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private RsyncTransport transport(String ssh) {
    return new RsyncTransport(
        new RsyncSettings(
            "rsync",
            source,
            TargetUrl.parse(server.login() + ":" + replica),
            null,
            ssh,
            List.of(),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            false,
            List.of(),
            state));
  }

  private void writeAndSend(String name, String content) throws Exception {
    Files.writeString(source.resolve(name), content);
    Delivery d = transport.send(List.of(RelPath.of(name)), false);
    assertTrue(d.ok(), () -> d.detail() + "\n" + server.log());
    assertEquals(content, Files.readString(replica.resolve(name)));
  }

  @Test
  void successiveRunsShareOneLogin() throws Exception {
    transport = transport(server.sshCommand());
    for (int i = 0; i < 5; i++) {
      writeAndSend("file" + i, "content " + i);
    }
    assertTrue(transport.fullSync().ok());
    TreeComparison.assertIdentical(source, replica);
    assertEquals(1, server.acceptedLogins(), server::log);
    assertTrue(Files.exists(transport.command().sshSharing().socket()));
  }

  @Test
  void renamesGoOverTheSharedConnectionToo() throws Exception {
    transport = transport(server.sshCommand());
    Files.createDirectories(source.resolve("dir"));
    writeAndSend("dir/a", "a");
    Files.move(source.resolve("dir"), source.resolve("moved"));
    assertTrue(transport.rename(RelPath.of("dir"), RelPath.of("moved")).ok());
    assertEquals("a", Files.readString(replica.resolve("moved/a")));
    assertEquals(1, server.acceptedLogins(), server::log);
    // Several renames go in one session.
    Files.move(source.resolve("moved"), source.resolve("m1"));
    Files.move(source.resolve("m1"), source.resolve("m2"));
    Delivery d =
        transport.rename(
            List.of(
                new Work.Rename(RelPath.of("moved"), RelPath.of("m1")),
                new Work.Rename(RelPath.of("m1"), RelPath.of("m2"))));
    assertEquals("renamed 2 directories", d.detail());
    assertEquals("a", Files.readString(replica.resolve("m2/a")));
    assertEquals(1, server.acceptedLogins(), server::log);
  }

  @Test
  void aConnectionTheServerDropsIsReplacedByANewLogin() throws Exception {
    transport = transport(server.sshCommand());
    writeAndSend("before", "1");
    Path socket = transport.command().sshSharing().socket();
    server.dropConnections();
    // The master notices the closed connection, exits and removes its socket.
    Await.until(WAIT, () -> !Files.exists(socket), () -> "the master to go: " + socket);
    writeAndSend("after", "2");
    assertEquals(2, server.acceptedLogins(), server::log);
  }

  @Test
  void closingTheTransportEndsTheMastersConnection() throws Exception {
    transport = transport(server.sshCommand());
    writeAndSend("file", "x");
    Path socket = transport.command().sshSharing().socket();
    assertEquals(1, server.openConnections());
    transport.close();
    Await.until(WAIT, () -> server.openConnections() == 0, () -> "the server to see no connection");
    assertFalse(Files.exists(socket));
  }

  @Test
  void aTargetThatSaysControlMasterNoLogsInForEveryRun() throws Exception {
    transport = transport(server.sshCommand() + " -o ControlMaster=no");
    for (int i = 0; i < 3; i++) {
      writeAndSend("file" + i, "content " + i);
    }
    // A login per run, and one more whenever the split-brain guard reads the target's generation.
    assertTrue(server.acceptedLogins() >= 4, server::log);
  }
}
