package io.watchsync.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class RsyncDaemonIT {
  @TempDir Path work;

  private static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static int rsync(List<String> args) throws Exception {
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void theDaemonAcceptsItsUserWithThePasswordFileAndStopsAndStartsOnTheSamePort() throws Exception {
    try (RsyncDaemon d = RsyncDaemon.start(work.resolve("d"))) {
      assertTrue(d.url().matches("rsync://wsuser@127\\.0\\.0\\.1:\\d+/replica"), d.url());
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(d.clientPasswordFile())));
      Files.writeString(work.resolve("f"), "x");
      List<String> push =
          List.of(
              "rsync",
              "--password-file=" + d.clientPasswordFile(),
              work.resolve("f").toString(),
              d.url() + "/");
      assertEquals(0, rsync(push));
      assertEquals("x", Files.readString(d.replicaDir().resolve("f")));
      int port = d.port();
      d.stop();
      assertFalse(d.isRunning());
      assertFalse(accepts(port));
      d.start();
      assertEquals(port, d.port());
      assertTrue(accepts(port));
      assertEquals(0, rsync(push));
    }
  }

  @Test
  void twoDaemonsGetTwoPorts() throws Exception {
    try (RsyncDaemon a = RsyncDaemon.start(work.resolve("a"));
        RsyncDaemon b = RsyncDaemon.start(work.resolve("b"))) {
      assertTrue(a.port() != b.port());
    }
  }
}
