package io.watchsync.repo.rpm;

/**
 * A package's epoch, version and release. Ordered by {@link RpmVersionComparator}; {@link
 * #toString()} gives rpm's own form, {@code [EPOCH:]VERSION-RELEASE}.
 *
 * <p>The order is rpm's, not equality of text: "1.0-1" and "1.00-01" compare as equal, as they do
 * for rpm, but are different records.
 */
public record Evr(long epoch, String version, String release) implements Comparable<Evr> {
  /** The EVR of a package header; a header without an epoch has epoch 0, as in rpm. */
  public static Evr of(Header header) {
    return new Evr(
        header.number(RpmTags.EPOCH, 0),
        nonNull(header.string(RpmTags.VERSION)),
        nonNull(header.string(RpmTags.RELEASE)));
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  @Override
  public int compareTo(Evr other) {
    return RpmVersionComparator.INSTANCE.compare(this, other);
  }

  @Override
  public String toString() {
    return (epoch != 0 ? epoch + ":" : "") + version + "-" + release;
  }
}
