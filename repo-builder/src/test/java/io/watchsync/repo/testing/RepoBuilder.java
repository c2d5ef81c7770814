package io.watchsync.repo.testing;

import io.watchsync.repo.cli.RepoBuilderCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs repo-builder in this JVM with captured output, as a user would run it. */
public record RepoBuilder(int exit, String out, String err) {
  public static RepoBuilder run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RepoBuilderCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new RepoBuilder(exit, out.toString(), err.toString());
  }

  /**
   * The command line that runs repo-builder with {@code args} in a JVM of its own, as its launcher
   * does: for what the Java runtime sets once per process, or a run to kill.
   */
  public static List<String> inOwnJvm(List<String> args) {
    return inOwnJvm(System.getProperty("java.class.path"), args);
  }

  /** As {@link #inOwnJvm(List)}, on the class path {@code classPath}. */
  public static List<String> inOwnJvm(String classPath, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath);
    command.add(RepoBuilderCommand.class.getName());
    command.addAll(args);
    return command;
  }

  @Override
  public String toString() {
    return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
