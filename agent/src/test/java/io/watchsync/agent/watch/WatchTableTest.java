package io.watchsync.agent.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WatchTableTest {

  @Test
  void everyNodeIsFoundByItsDescriptorAfterGrowingAndShrinking() {
    WatchTable table = new WatchTable();
    Map<Integer, WatchNode> expected = new HashMap<>();
    for (int wd = 1; wd <= 100_000; wd++) {
      WatchNode n = new WatchNode(wd);
      table.put(n);
      expected.put(wd, n);
    }
    for (int wd = 1; wd <= 100_000; wd += 3) {
      assertSame(expected.remove(wd), table.remove(wd));
    }
    assertEquals(expected.size(), table.size());
    for (int wd = 1; wd <= 100_000; wd++) {
      assertSame(expected.get(wd), table.get(wd), "wd " + wd);
    }
  }

  @Test
  void randomPutsAndRemovesAgreeWithAHashMap() {
    WatchTable table = new WatchTable();
    Map<Integer, WatchNode> expected = new HashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      int wd = 1 + random.nextInt(5_000);
      if (random.nextBoolean()) {
        WatchNode n = new WatchNode(wd);
        table.put(n);
        expected.put(wd, n);
      } else {
        assertSame(expected.remove(wd), table.remove(wd));
      }
    }
    assertEquals(expected.size(), table.size());
    assertEquals(expected.size(), table.nodes().size());
    for (int wd = 1; wd <= 5_000; wd++) {
      assertSame(expected.get(wd), table.get(wd), "wd " + wd);
    }
  }

  @Test
  void aDescriptorNeverAddedIsNotFound() {
    WatchTable table = new WatchTable();
    table.put(new WatchNode(7));
    assertNull(table.get(8));
    assertNull(table.remove(8));
    assertEquals(1, table.size());
  }
}
