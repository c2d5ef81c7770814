package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The transport contract against a real rsync daemon with authentication, plus its failures. */
@EnabledOnOs(OS.LINUX)
class RsyncTransportDaemonIT extends RsyncTransportContract {
  RsyncDaemon daemon;

  @Override
  String sentMark() {
    return "<";
  }

  @Override
  Path replica() {
    return daemon.replicaDir();
  }

  @Override
  RsyncSettings settings(Path source, List<String> excludeArgs) throws IOException {
    if (daemon == null) {
      daemon = RsyncDaemon.start(work.resolve("daemon"));
    }
    return settings(
        source, TargetUrl.parse(daemon.url()), daemon.clientPasswordFile(), excludeArgs);
  }

  @AfterEach
  void stopDaemon() throws IOException {
    if (daemon != null) {
      daemon.close();
    }
  }

  private RsyncTransport transportTo(String url, Path passwordFile) {
    return new RsyncTransport(settings(source, TargetUrl.parse(url), passwordFile, List.of()));
  }

  @Test
  void aDaemonTargetDoesNotSupportRenames() throws Exception {
    assertFalse(transport.supportsRename());
    Delivery d = transport.rename(path("a"), path("b"));
    assertEquals(Verdict.FAILED, d.verdict());
  }

  @Test
  void aStoppedDaemonMeansTheTargetIsDown() throws Exception {
    sh("echo a > a");
    daemon.stop();
    Delivery d = transport.send(List.of(path("a")), false);
    assertEquals(Verdict.TARGET_DOWN, d.verdict(), d.detail());
    assertTrue(
        d.detail().startsWith("rsync exit 10: error in socket I/O: failed to connect to 127.0.0.1"),
        d.detail());
    assertTrue(d.detail().contains("Connection refused"), d.detail());
    assertEquals(Verdict.TARGET_DOWN, transport.probe().verdict());
    assertEquals(Verdict.TARGET_DOWN, transport.fullSync().verdict());
  }

  @Test
  void aRestartedDaemonOnTheSamePortReceivesAgain() throws Exception {
    sh("echo before > before");
    sendPlain(path("before"));
    int port = daemon.port();
    daemon.stop();
    sh("echo after > after");
    assertEquals(Verdict.TARGET_DOWN, transport.send(List.of(path("after")), false).verdict());
    daemon.start();
    assertEquals(port, daemon.port());
    sendPlain(path("after"));
    assertReplicated();
  }

  @Test
  void aWrongPasswordFailsAndTheMessageHoldsNeitherPassword() throws Exception {
    Path wrong = work.resolve("wrong.password");
    String secret = "not-the-right-secret-4711";
    Files.writeString(wrong, secret + "\n");
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    RsyncTransport t = transportTo(daemon.url(), wrong);
    sh("echo a > a");
    for (Delivery d : List.of(t.send(List.of(path("a")), false), t.probe(), t.fullSync())) {
      assertEquals(Verdict.FAILED, d.verdict(), d.detail());
      assertTrue(
          d.detail().startsWith("rsync exit 5: error starting client-server protocol"), d.detail());
      assertTrue(d.detail().contains("auth failed on module replica"), d.detail());
      assertFalse(d.detail().contains(secret), d.detail());
      assertFalse(d.detail().contains(daemon.password()), d.detail());
    }
  }

  @Test
  void aModuleWantingAPasswordWhenNoneIsConfiguredFailsInsteadOfPrompting() throws Exception {
    Delivery d = transportTo(daemon.url(), null).probe();
    assertEquals(Verdict.FAILED, d.verdict(), d.detail());
    assertTrue(d.detail().contains("auth failed on module replica"), d.detail());
  }

  @Test
  void anUnknownModuleFails() throws Exception {
    RsyncTransport t =
        transportTo(daemon.url().replace("/replica", "/nosuchmodule"), daemon.clientPasswordFile());
    Delivery d = t.probe();
    assertEquals(Verdict.FAILED, d.verdict(), d.detail());
    assertTrue(d.detail().contains("Unknown module 'nosuchmodule'"), d.detail());
  }

  @Test
  void aPasswordFileReadableByOthersIsReportedAsFailed() throws Exception {
    Path open = work.resolve("open.password");
    Files.writeString(open, daemon.password() + "\n");
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    Delivery d = transportTo(daemon.url(), open).probe();
    assertEquals(Verdict.FAILED, d.verdict(), d.detail());
    assertFalse(d.detail().contains(daemon.password()), d.detail());
  }

  @Test
  void probeOfAMissingDirectoryInTheModuleDoesNotSucceed() throws Exception {
    Delivery d = transportTo(daemon.url() + "/no/such/dir", daemon.clientPasswordFile()).probe();
    assertFalse(d.ok(), d.detail());
    assertTrue(d.detail().contains("No such file or directory"), d.detail());
  }

  @Test
  void aSubdirectoryOfTheModuleIsATarget() throws Exception {
    Files.createDirectories(daemon.replicaDir().resolve("host1"));
    RsyncTransport t = transportTo(daemon.url() + "/host1", daemon.clientPasswordFile());
    sh("mkdir d && echo x > d/x");
    delivered(t.send(List.of(path("d/x")), false));
    assertEquals("x\n", Files.readString(daemon.replicaDir().resolve("host1/d/x")));
  }

  @Test
  void interruptingASendKillsRsyncAndThrows() throws Exception {
    // A listener that accepts connections but never greets: rsync waits for ever (no timeouts).
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      RsyncTransport t =
          new RsyncTransport(
              new RsyncSettings(
                  "rsync",
                  source,
                  TargetUrl.parse("rsync://wsuser@127.0.0.1:" + silent.getLocalPort() + "/replica"),
                  daemon.clientPasswordFile(),
                  null,
                  List.of(),
                  Duration.ZERO,
                  Duration.ZERO,
                  false,
                  List.of(),
                  null));
      sh("echo a > a");
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread worker =
          new Thread(
              () -> {
                try {
                  t.send(List.of(path("a")), false);
                } catch (Throwable e) {
                  thrown.set(e);
                }
              });
      worker.start();
      Await.until(Duration.ofSeconds(10), () -> rsyncChildren() > 0, () -> "rsync to start");
      worker.interrupt();
      worker.join(10_000);
      assertFalse(worker.isAlive(), "send returned after the interrupt");
      assertTrue(thrown.get() instanceof InterruptedException, () -> "thrown: " + thrown.get());
      Await.until(Duration.ofSeconds(10), () -> rsyncChildren() == 0, () -> "rsync to be killed");
    }
  }

  private static long rsyncChildren() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith("rsync"))
        .filter(p -> !p.info().arguments().map(a -> List.of(a).contains("--daemon")).orElse(false))
        .count();
  }

  @Test
  void sendingNothingDoesNotContactTheTarget() throws Exception {
    daemon.stop();
    assertEquals(Verdict.DONE, transport.send(List.of(), true).verdict());
  }
}
