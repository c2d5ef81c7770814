package io.watchsync.repo.testing;

import io.watchsync.repo.cli.RepoBuilderCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs repo-builder in this JVM with captured output, as a user would run it. */
public record RepoBuilder(int exit, String out, String err) {
  public static RepoBuilder run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RepoBuilderCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new RepoBuilder(exit, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
