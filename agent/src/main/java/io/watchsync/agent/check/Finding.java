package io.watchsync.agent.check;

/** One line of {@code watchsync check}'s report. */
public record Finding(Status status, String subject, String message) {

  /** How bad it is. */
  public enum Status {
    OK,
    WARN,
    FAIL
  }

  public static Finding ok(String subject, String message) {
    return new Finding(Status.OK, subject, message);
  }

  public static Finding warn(String subject, String message) {
    return new Finding(Status.WARN, subject, message);
  }

  public static Finding fail(String subject, String message) {
    return new Finding(Status.FAIL, subject, message);
  }

  /** {@code "FAIL password file: …"}. */
  public String line() {
    return String.format("%-5s %s: %s", status, subject, message);
  }
}
