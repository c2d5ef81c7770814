package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeletionBudgetTest {

  @Test
  void readsEntriesPercentBothAndZero() {
    assertEquals(new DeletionBudget(1000, 0), DeletionBudget.parse("1000"));
    assertEquals(new DeletionBudget(0, 25), DeletionBudget.parse(" 25% "));
    assertEquals(new DeletionBudget(1000, 50), DeletionBudget.parse("1000, 50%"));
    assertEquals(new DeletionBudget(1000, 50), DeletionBudget.parse("50%,1000"));
    assertTrue(DeletionBudget.parse("0").unlimited());
  }

  @Test
  void formatsAsWritten() {
    assertEquals("1000, 50%", DeletionBudget.DEFAULT.format());
    assertEquals("10%", new DeletionBudget(0, 10).format());
    assertEquals("7", new DeletionBudget(7, 0).format());
    assertEquals("0", DeletionBudget.UNLIMITED.format());
  }

  @Test
  void refusesWhatItCannotRead() {
    for (String bad : new String[] {"", "x", "-1", "10%, 20%", "5, 6", "101%", "1e3"}) {
      assertThrows(IllegalArgumentException.class, () -> DeletionBudget.parse(bad), bad);
    }
  }

  @Test
  void anEmptySourceWithOneStrayFileIsOverTheDefault() {
    // 1,020 entries on the target, the source holds "." and stray.txt (new on the target).
    assertEquals("more than 1000 entries", DeletionBudget.DEFAULT.exceededBy(1020, 1021));
    assertEquals("more than 50% of the target", DeletionBudget.DEFAULT.exceededBy(10, 11));
  }

  @Test
  void deletionsWithinBothLimitsPass() {
    assertNull(DeletionBudget.DEFAULT.exceededBy(1000, 1_000_000));
    assertNull(DeletionBudget.DEFAULT.exceededBy(5, 10));
    assertNull(DeletionBudget.UNLIMITED.exceededBy(1_000_000, 1_000_000));
  }

  @Test
  void aPercentageCountsAgainstNoLessThanTheDeletionsThemselves() {
    assertEquals("more than 50% of the target", new DeletionBudget(0, 50).exceededBy(3, 0));
  }
}
