package io.watchsync.repo.mirror;

import java.util.List;

/**
 * What a mirror run did.
 *
 * @param packages in the closure
 * @param fetched downloaded this run
 * @param present already in the mirror and verified
 * @param deleted removed with --delete
 * @param bytes received this run
 * @param unmatched package arguments nothing matched
 * @param problems unsatisfiable requirements, "NEVRA requires DEP: nothing provides it"
 * @param failures packages that could not be fetched or kept failing verification, with why
 * @param streams the module streams taken as active, NAME:STREAM
 */
public record MirrorReport(
    int packages,
    int fetched,
    int present,
    int deleted,
    long bytes,
    List<String> unmatched,
    List<String> problems,
    List<String> failures,
    List<String> streams) {

  public boolean ok() {
    return unmatched.isEmpty() && problems.isEmpty() && failures.isEmpty();
  }

  /** The one summary line. */
  public String summary() {
    return packages
        + " packages in the closure: "
        + fetched
        + " downloaded ("
        + bytes
        + " bytes), "
        + present
        + " already present, "
        + deleted
        + " deleted, "
        + failures.size()
        + " failed, "
        + problems.size()
        + " unsatisfied requirements";
  }
}
