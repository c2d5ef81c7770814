package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcessRunIT {
  @Test
  void aProgramThatMovesNoDataForTheTimeoutIsStoppedWithRsyncsTimeoutCode() throws Exception {
    long t0 = System.nanoTime();
    ProcessRun.Result r =
        ProcessRun.run(
            List.of("sleep", "60"), Map.of(), new byte[0], line -> {}, Duration.ofSeconds(1));
    long took = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertEquals(ProcessRun.TIMEOUT_EXIT, r.exitCode());
    assertTrue(r.stderrTail().contains("no data moved for 1 s"), r.stderrTail());
    assertTrue(took < 10, "stopped after " + took + " s");
  }

  @Test
  void aProgramThatKeepsMovingDataIsLeftToFinish() throws Exception {
    ProcessRun.Result r =
        ProcessRun.run(
            List.of("sh", "-c", "for i in 1 2 3 4 5 6; do echo tick; sleep 0.4; done"),
            Map.of(),
            new byte[0],
            line -> {},
            Duration.ofSeconds(1));
    assertEquals(0, r.exitCode());
  }
}
