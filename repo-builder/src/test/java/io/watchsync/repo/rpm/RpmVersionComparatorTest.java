package io.watchsync.repo.rpm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RpmVersionComparatorTest {
  /** rpm's own test table (tests/rpmvercmp.at): a, b, rpmvercmp(a, b). */
  static final String[][] CASES = {
    {"1.0", "1.0", "0"},
    {"1.0", "2.0", "-1"},
    {"2.0", "1.0", "1"},
    {"2.0.1", "2.0.1", "0"},
    {"2.0", "2.0.1", "-1"},
    {"2.0.1", "2.0", "1"},
    {"2.0.1a", "2.0.1a", "0"},
    {"2.0.1a", "2.0.1", "1"},
    {"2.0.1", "2.0.1a", "-1"},
    {"5.5p1", "5.5p1", "0"},
    {"5.5p1", "5.5p2", "-1"},
    {"5.5p2", "5.5p1", "1"},
    {"5.5p10", "5.5p10", "0"},
    {"5.5p1", "5.5p10", "-1"},
    {"5.5p10", "5.5p1", "1"},
    {"10xyz", "10.1xyz", "-1"},
    {"10.1xyz", "10xyz", "1"},
    {"xyz10", "xyz10", "0"},
    {"xyz10", "xyz10.1", "-1"},
    {"xyz10.1", "xyz10", "1"},
    {"xyz.4", "xyz.4", "0"},
    {"xyz.4", "8", "-1"},
    {"8", "xyz.4", "1"},
    {"xyz.4", "2", "-1"},
    {"2", "xyz.4", "1"},
    {"5.5p2", "5.6p1", "-1"},
    {"5.6p1", "5.5p2", "1"},
    {"5.6p1", "6.5p1", "-1"},
    {"6.5p1", "5.6p1", "1"},
    {"6.0.rc1", "6.0", "1"},
    {"6.0", "6.0.rc1", "-1"},
    {"10b2", "10a1", "1"},
    {"10a2", "10b2", "-1"},
    {"1.0aa", "1.0aa", "0"},
    {"1.0a", "1.0aa", "-1"},
    {"1.0aa", "1.0a", "1"},
    {"10.0001", "10.0001", "0"},
    {"10.0001", "10.1", "0"},
    {"10.1", "10.0001", "0"},
    {"10.0001", "10.0039", "-1"},
    {"10.0039", "10.0001", "1"},
    {"4.999.9", "5.0", "-1"},
    {"5.0", "4.999.9", "1"},
    {"20101121", "20101121", "0"},
    {"20101121", "20101122", "-1"},
    {"20101122", "20101121", "1"},
    {"2_0", "2_0", "0"},
    {"2.0", "2_0", "0"},
    {"2_0", "2.0", "0"},
    {"a", "a", "0"},
    {"a+", "a+", "0"},
    {"a+", "a_", "0"},
    {"a_", "a+", "0"},
    {"+a", "+a", "0"},
    {"+a", "_a", "0"},
    {"_a", "+a", "0"},
    {"+_", "+_", "0"},
    {"_+", "+_", "0"},
    {"_+", "_+", "0"},
    {"+", "_", "0"},
    {"_", "+", "0"},
    {"1.0~rc1", "1.0~rc1", "0"},
    {"1.0~rc1", "1.0", "-1"},
    {"1.0", "1.0~rc1", "1"},
    {"1.0~rc1", "1.0~rc2", "-1"},
    {"1.0~rc2", "1.0~rc1", "1"},
    {"1.0~rc1~git123", "1.0~rc1~git123", "0"},
    {"1.0~rc1~git123", "1.0~rc1", "-1"},
    {"1.0~rc1", "1.0~rc1~git123", "1"},
    {"1.0^", "1.0^", "0"},
    {"1.0^", "1.0", "1"},
    {"1.0", "1.0^", "-1"},
    {"1.0^git1", "1.0^git1", "0"},
    {"1.0^git1", "1.0", "1"},
    {"1.0", "1.0^git1", "-1"},
    {"1.0^git1", "1.0^git2", "-1"},
    {"1.0^git2", "1.0^git1", "1"},
    {"1.0^git1", "1.01", "-1"},
    {"1.01", "1.0^git1", "1"},
    {"1.0^20160101", "1.0^20160101", "0"},
    {"1.0^20160101", "1.0.1", "-1"},
    {"1.0.1", "1.0^20160101", "1"},
    {"1.0^20160101^git1", "1.0^20160101^git1", "0"},
    {"1.0^20160102", "1.0^20160101^git1", "1"},
    {"1.0^20160101^git1", "1.0^20160102", "-1"},
    {"1.0~rc1^git1", "1.0~rc1^git1", "0"},
    {"1.0~rc1^git1", "1.0~rc1", "1"},
    {"1.0~rc1", "1.0~rc1^git1", "-1"},
    {"1.0^git1~pre", "1.0^git1~pre", "0"},
    {"1.0^git1", "1.0^git1~pre", "1"},
    {"1.0^git1~pre", "1.0^git1", "-1"},
    // Beyond rpm's table: long numbers, mixed separators, letters against the end of a string.
    {"1.99999999999999999999", "1.100000000000000000000", "-1"},
    {"1.0", "1.0.0", "-1"},
    {"1..0", "1.0", "0"},
    {"1.0a", "1.0.a", "0"},
    {"1.a", "1.1", "-1"},
    {"1.0~", "1.0", "-1"},
    {"1.0~", "1.0~~", "1"},
    {"1.0^", "1.0~", "1"},
    {"A", "a", "-1"},
    {"1.0\u00e9", "1.0", "0"},
  };

  static Stream<String[]> cases() {
    return Stream.of(CASES);
  }

  @ParameterizedTest(name = "rpmvercmp({0}, {1}) = {2}")
  @MethodSource("cases")
  void ordersVersionsAsRpmsOwnTestTableSays(String a, String b, String expected) {
    assertEquals(Integer.parseInt(expected), RpmVersionComparator.rpmvercmp(a, b));
  }

  @Test
  void theEpochOutweighsVersionAndRelease() {
    Evr withEpoch = new Evr(1, "1.0", "1");
    Evr higherVersion = new Evr(0, "2.0", "1");
    assertEquals(1, withEpoch.compareTo(higherVersion));
    assertEquals(-1, higherVersion.compareTo(withEpoch));
  }

  @Test
  void theReleaseDecidesWhenVersionsAreEqual() {
    assertEquals(-1, new Evr(0, "1.0", "2.el9").compareTo(new Evr(0, "1.0", "10.el9")));
    assertEquals(0, new Evr(0, "1.0", "1").compareTo(new Evr(0, "1.00", "01")));
  }

  @Test
  void printsTheEpochOnlyWhenItIsNotZero() {
    assertEquals("1.0-1", new Evr(0, "1.0", "1").toString());
    assertEquals("2:1.0-1", new Evr(2, "1.0", "1").toString());
  }
}
