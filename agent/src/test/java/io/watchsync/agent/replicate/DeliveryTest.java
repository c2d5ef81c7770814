package io.watchsync.agent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.watchsync.agent.replicate.Delivery.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryTest {
  private static final Delivery SENT =
      new Delivery(
          Verdict.DONE, "2 items changed", 2, 300, List.of(">f+++++++++ a", ">f+++++++++ b"));
  private static final Delivery PARTIAL =
      new Delivery(
          Verdict.RETRY_LATER,
          "rsync exit 23: partial transfer due to error",
          1,
          40,
          List.of(">f+++++++++ c"));

  @Test
  void runsMadeWhateverTheFirstAchievedKeepTheWorseVerdictAndBothDetails() {
    Delivery d = Delivery.combine(PARTIAL, SENT);

    assertEquals(Verdict.RETRY_LATER, d.verdict());
    assertEquals("rsync exit 23: partial transfer due to error; 2 items changed", d.detail());
    assertEquals(3, d.files());
    assertEquals(340, d.bytes());
    assertEquals(List.of(">f+++++++++ c", ">f+++++++++ a", ">f+++++++++ b"), d.itemized());
  }

  @Test
  void aRunMadeAfterASuccessSaysHowItEndedAndCountsBoth() {
    Delivery d = SENT.followedBy(PARTIAL);

    assertEquals(Verdict.RETRY_LATER, d.verdict());
    assertEquals("rsync exit 23: partial transfer due to error", d.detail());
    assertEquals(3, d.files());
    assertEquals(340, d.bytes());
    assertEquals(List.of(">f+++++++++ a", ">f+++++++++ b", ">f+++++++++ c"), d.itemized());
  }

  @Test
  void aFailedRunIsFollowedByNothing() {
    assertThrows(IllegalStateException.class, () -> PARTIAL.followedBy(SENT));
  }
}
