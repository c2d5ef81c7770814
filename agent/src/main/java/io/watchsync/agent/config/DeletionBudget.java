package io.watchsync.agent.config;

/**
 * How much a full sync may delete on a target before it waits for the operator ({@code
 * max_delete}): at most {@code entries} entries and at most {@code percent} percent of the entries
 * the target holds. Either limit may be off (zero); both off means no limit.
 *
 * @param entries the most entries a full sync may delete; 0 for no such limit
 * @param percent the most a full sync may delete, in percent of the target's entries; 0 for none
 */
public record DeletionBudget(long entries, int percent) {
  /** Held past 1,000 entries or half the target, whichever comes first. */
  public static final DeletionBudget DEFAULT = new DeletionBudget(1000, 50);

  public static final DeletionBudget UNLIMITED = new DeletionBudget(0, 0);

  public DeletionBudget {
    if (entries < 0) {
      throw new IllegalArgumentException("the number of entries must not be negative");
    }
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("the percentage must be between 0 and 100");
    }
  }

  /**
   * Reads {@code 0} (no limit), {@code 1000} (entries), {@code 50%} (of the target), or both
   * separated by a comma ({@code 1000, 50%}).
   */
  public static DeletionBudget parse(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    long entries = 0;
    int percent = 0;
    boolean sawEntries = false;
    boolean sawPercent = false;
    for (String part : t.split(",", -1)) {
      String p = part.strip();
      try {
        if (p.endsWith("%")) {
          if (sawPercent) {
            throw new IllegalArgumentException("gives a percentage twice: \"" + text + "\"");
          }
          sawPercent = true;
          percent = Integer.parseInt(p.substring(0, p.length() - 1).strip());
          if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException(
                "percentage must be between 0% and 100%, got \"" + p + "\"");
          }
        } else {
          if (sawEntries) {
            throw new IllegalArgumentException("gives a number of entries twice: \"" + text + "\"");
          }
          sawEntries = true;
          entries = Long.parseLong(p);
          if (entries < 0) {
            throw new IllegalArgumentException("must not be negative, got \"" + p + "\"");
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "must be a number of entries, a percentage or both (e.g. \"1000, 50%\", 0 for no"
                + " limit), got \""
                + text
                + "\"");
      }
    }
    return new DeletionBudget(entries, percent);
  }

  /** True when neither limit is set. */
  public boolean unlimited() {
    return entries == 0 && percent == 0;
  }

  /**
   * Why deleting {@code deletions} of the target's {@code targetEntries} entries is over the
   * budget, or null when it is within.
   */
  public String exceededBy(long deletions, long targetEntries) {
    if (entries > 0 && deletions > entries) {
      return "more than " + entries + " entries";
    }
    if (percent > 0 && deletions * 100 > (long) percent * Math.max(targetEntries, deletions)) {
      return "more than " + percent + "% of the target";
    }
    return null;
  }

  /** As written in the configuration: {@code 1000, 50%}, {@code 0} for no limit. */
  public String format() {
    if (unlimited()) {
      return "0";
    }
    if (entries > 0 && percent > 0) {
      return entries + ", " + percent + "%";
    }
    return entries > 0 ? Long.toString(entries) : percent + "%";
  }
}
