package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.generation.TreeGeneration;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the answers rsync gives when the target's generation file is pulled are read: the words are
 * rsync 3.2's and 3.5's own, as a daemon and a remote shell print them.
 */
class TargetGenerationsTest {
  @TempDir Path work;

  private TargetGenerations.Read readAfter(int exit, String stderr) throws Exception {
    RsyncSettings settings =
        RsyncSettings.defaults(work, TargetUrl.parse("rsync://u@127.0.0.1/m"), null);
    RsyncExit e = RsyncExit.of(exit, stderr);
    return new TargetGenerations(
            settings,
            new RsyncCommand(settings),
            cmd -> new Delivery(e.verdict(), e.detail(), 0, 0, List.of()))
        .read();
  }

  @Test
  void aWriteOnlyModuleCountsAsNoGenerationSoReplicationGoesOn() throws Exception {
    TargetGenerations.Read r =
        readAfter(
            1,
            "ERROR: module is write only\n"
                + "rsync error: syntax or usage error (code 1) at main.c(951) [sender=3.5.0]\n");
    assertEquals(TreeGeneration.NONE, r.generation());
    assertNull(r.unreadable());
  }

  @Test
  void aTargetDirectoryNotMadeYetIsNoGeneration() throws Exception {
    TargetGenerations.Read r =
        readAfter(
            23,
            "rsync: [sender] change_dir \"/srv/replica\" failed: No such file or directory (2)\n");
    assertEquals(TreeGeneration.NONE, r.generation());
  }

  @Test
  void aRefusedLoginIsUnreadableAndSaysWhy() throws Exception {
    TargetGenerations.Read r = readAfter(5, "@ERROR: auth failed on module m\n");
    assertNull(r.generation());
    assertEquals(Verdict.FAILED, r.unreadable().verdict());
    assertEquals(
        "rsync exit 5: error starting client-server protocol: auth failed on module m",
        r.unreadable().detail());
  }
}
