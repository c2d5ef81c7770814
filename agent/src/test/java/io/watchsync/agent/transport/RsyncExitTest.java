package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.watchsync.agent.replicate.Delivery.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RsyncExitTest {

  @ParameterizedTest(name = "exit {0} -> {1}")
  @CsvSource({
    "0, DONE, success",
    "24, DONE, partial transfer due to vanished source files",
    "23, RETRY_LATER, partial transfer due to error",
    "11, RETRY_LATER, error in file I/O",
    "12, RETRY_LATER, error in rsync protocol data stream",
    "20, RETRY_LATER, received SIGUSR1 or SIGINT",
    "30, RETRY_LATER, timeout in data send/receive",
    "10, TARGET_DOWN, error in socket I/O",
    "35, TARGET_DOWN, timeout waiting for daemon connection",
    "255, TARGET_DOWN, ssh failed (host unreachable or login refused)",
    "1, FAILED, syntax or usage error",
    "2, FAILED, protocol incompatibility",
    "3, FAILED, 'errors selecting input/output files, dirs'",
    "4, FAILED, requested action not supported",
    "25, FAILED, the --max-delete limit stopped deletions",
    "127, FAILED, remote command not found (is rsync installed on the target?)",
    "77, FAILED, unknown error",
  })
  void eachExitCodeHasAVerdictAndItsDocumentedMeaning(int code, Verdict verdict, String meaning) {
    RsyncExit exit = RsyncExit.of(code, "");
    assertEquals(verdict, exit.verdict());
    assertEquals("rsync exit " + code + ": " + meaning, exit.detail());
  }

  @Test
  void exit5FromAWrongPasswordIsAFailure() {
    RsyncExit exit =
        RsyncExit.of(
            5,
            "@ERROR: auth failed on module replica\n"
                + "rsync error: error starting client-server protocol (code 5) at main.c(1954)"
                + " [Receiver=3.5.0]\n");
    assertEquals(Verdict.FAILED, exit.verdict());
    assertEquals(
        "rsync exit 5: error starting client-server protocol: auth failed on module replica",
        exit.detail());
  }

  @Test
  void exit5FromAnUnknownModuleIsAFailure() {
    assertEquals(Verdict.FAILED, RsyncExit.of(5, "@ERROR: Unknown module 'nomod'\n").verdict());
  }

  @Test
  void exit5FromADaemonAtItsConnectionLimitOrAResetMeansTheTargetIsDown() {
    assertEquals(
        Verdict.TARGET_DOWN,
        RsyncExit.of(5, "@ERROR: max connections (4) reached -- try again later\n").verdict());
    assertEquals(
        Verdict.TARGET_DOWN,
        RsyncExit.of(5, "rsync: [Receiver] read error: Connection reset by peer (104)\n")
            .verdict());
    assertEquals(
        Verdict.TARGET_DOWN, RsyncExit.of(5, "rsync: did not see server greeting\n").verdict());
  }

  @Test
  void sshRefusingTheLoginIsAFailureNotAnOutage() {
    assertEquals(
        Verdict.FAILED,
        RsyncExit.of(255, "root@backup1: Permission denied (publickey,password).\n").verdict());
    assertEquals(Verdict.FAILED, RsyncExit.of(255, "Host key verification failed.\n").verdict());
    assertEquals(
        Verdict.TARGET_DOWN,
        RsyncExit.of(255, "ssh: connect to host backup1 port 22: No route to host\n").verdict());
  }

  @Test
  void aRemoteShellThatNeverStartedRsyncIsJudgedByWhatSshSaid() {
    String closed = "rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n";
    assertEquals(
        Verdict.TARGET_DOWN,
        RsyncExit.of(12, "ssh: connect to host b port 22: Connection timed out\n" + closed)
            .verdict());
    assertEquals(
        Verdict.FAILED,
        RsyncExit.of(12, "root@b: Permission denied (publickey).\n" + closed).verdict());
    assertEquals(
        Verdict.FAILED,
        RsyncExit.of(12, "bash: line 1: rsync: command not found\n" + closed).verdict());
    assertEquals(
        Verdict.RETRY_LATER,
        RsyncExit.of(12, "rsync: connection unexpectedly closed (8812 bytes received so far)\n")
            .verdict());
  }

  @Test
  void aPullWhoseSshNeverConnectedIsATargetDownToo() {
    // Reading the target's generation pulls: rsync then fails writing to the dead ssh first.
    assertEquals(
        Verdict.TARGET_DOWN,
        RsyncExit.of(
                12,
                "ssh: connect to host b port 22: Connection refused\n"
                    + "rsync: safe_write failed to write 6 bytes to fd 4: Broken pipe (32)\n")
            .verdict());
  }

  @Test
  void theDetailNamesCodeMeaningAndRsyncsOwnLastWords() {
    RsyncExit exit =
        RsyncExit.of(
            10,
            "rsync: [Receiver] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused"
                + " (111)\n"
                + "rsync error: error in socket IO (code 10) at clientserver.c(165)"
                + " [Receiver=3.5.0]\n");
    assertEquals(
        "rsync exit 10: error in socket I/O: failed to connect to 127.0.0.1 (127.0.0.1):"
            + " Connection refused (111)",
        exit.detail());
  }

  @Test
  void onlyTheLastThreeMessagesAreKept() {
    RsyncExit exit = RsyncExit.of(23, "rsync: one\nrsync: two\nrsync: three\nrsync: four\n");
    assertEquals("rsync exit 23: partial transfer due to error: two; three; four", exit.detail());
  }
}
