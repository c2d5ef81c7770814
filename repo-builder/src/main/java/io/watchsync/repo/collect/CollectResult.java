package io.watchsync.repo.collect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a collect run did with every RPM it found. Afterwards {@link #target()} holds every taken
 * package and every one that was already present, so it can be indexed as a repository.
 */
public record CollectResult(
    Path target,
    List<Path> sources,
    List<Taken> taken,
    List<Skipped> skipped,
    List<Rejected> rejected) {

  public CollectResult {
    sources = List.copyOf(sources);
    taken = List.copyOf(taken);
    skipped = List.copyOf(skipped);
    rejected = List.copyOf(rejected);
  }

  /** How a package got into the target directory. */
  public enum Method {
    HARD_LINK("hard link"),
    COPY("copy");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** Why a valid package was not put into the target directory. */
  public enum Why {
    /** The same file (by SHA-256) was found earlier, e.g. cached by another repository. */
    DUPLICATE,
    /** The target already has a file of that name with the same content. */
    ALREADY_PRESENT,
    /** With newest-only: a newer version of the same name and arch was found. */
    OLDER
  }

  /** A package placed in the target directory. */
  public record Taken(Path source, Path destination, Method method) {
    public String describe() {
      return "taken " + source + " -> " + destination + " (" + method + ")";
    }
  }

  /**
   * A package left out; {@code other} is the file it duplicates, the file already in the target, or
   * the newer package ({@code newer} names that one as NAME-[EPOCH:]VERSION-RELEASE.ARCH).
   */
  public record Skipped(Path source, Why why, Path other, String newer) {
    public String describe() {
      return "skipped "
          + source
          + ": "
          + switch (why) {
            case DUPLICATE -> "duplicate of " + other;
            case ALREADY_PRESENT -> "already present as " + other;
            case OLDER -> "older than " + newer + " (" + other + ")";
          };
    }
  }

  /** A file that was not taken because something is wrong with it or with where it would go. */
  public record Rejected(Path source, String reason) {
    public String describe() {
      return "rejected " + source + ": " + reason;
    }
  }

  /** No file was rejected. */
  public boolean ok() {
    return rejected.isEmpty();
  }

  /** How many {@code *.rpm} files were found in all (taken, skipped or rejected). */
  public int found() {
    return taken.size() + skipped.size() + rejected.size();
  }

  /**
   * One line: {@code collect: 12 taken, 3 skipped (2 duplicates, 1 already present), 1 rejected}.
   * The kinds of skip that did not happen are left out of the parentheses.
   */
  public String summary() {
    List<String> kinds = new ArrayList<>();
    count(kinds, Why.DUPLICATE, "duplicate", "duplicates");
    count(kinds, Why.ALREADY_PRESENT, "already present", "already present");
    count(kinds, Why.OLDER, "older version", "older versions");
    return "collect: "
        + taken.size()
        + " taken, "
        + skipped.size()
        + " skipped"
        + (kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")")
        + ", "
        + rejected.size()
        + " rejected";
  }

  private void count(List<String> kinds, Why why, String one, String many) {
    long n = skipped.stream().filter(s -> s.why() == why).count();
    if (n > 0) {
      kinds.add(n + " " + (n == 1 ? one : many));
    }
  }
}
