package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.importer.SersyncImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code watchsync import-sersync}: a sersync confxml.xml turned into a watchsync.yml. */
@Command(
    name = "import-sersync",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a sersync 2.5.x confxml.xml and writes the equivalent watchsync.yml, then lists on"
          + " stderr, one line each, what could not be carried over.",
      "Exit 0 when the configuration was written, 1 when the output file exists (see --force),"
          + " 2 when the input is not a usable sersync configuration."
    })
public final class ImportSersyncCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFXML", description = "sersync's confxml.xml.")
  Path confxml;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the configuration to FILE (default: standard output).")
  Path output;

  @Option(names = "--force", description = "Replace FILE when it already exists.")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws ConfigException, AgentException {
    SersyncImport imported = SersyncImport.read(confxml);
    try {
      validate(imported.yaml());
    } catch (IOException e) {
      throw new AgentException("cannot check the generated configuration: " + e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (output == null) {
      spec.commandLine().getOut().print(imported.yaml());
      spec.commandLine().getOut().flush();
    } else if (!writeOutput(imported.yaml())) {
      err.println("watchsync: " + output + ": already exists; add --force to replace it");
      return ExitCodes.FAILURE;
    }
    imported.notCarriedOver().forEach(line -> err.println("not carried over: " + line));
    imported.notes().forEach(line -> err.println("note: " + line));
    if (output != null) {
      err.println(
          "wrote "
              + output
              + "; check it with: watchsync check -c "
              + output.toAbsolutePath().normalize());
    }
    err.flush();
    return ExitCodes.OK;
  }

  /** The generated file must load like any other; a failure here is a bug in the mapping. */
  private static void validate(String yaml) throws ConfigException, IOException {
    Path probe = Files.createTempFile("watchsync-import-", ".yml");
    try {
      Files.writeString(probe, yaml, StandardCharsets.UTF_8);
      ConfigLoader.load(probe);
    } catch (ConfigException e) {
      throw new ConfigException(
          "the configuration made from "
              + "this confxml.xml does not load: "
              + e.getMessage().replace(probe.toString(), "generated file"));
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private boolean writeOutput(String yaml) throws AgentException {
    try {
      return write(yaml);
    } catch (IOException e) {
      throw new AgentException(output + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Writes the file whole: a new file only, or with --force an atomic replacement. */
  private boolean write(String yaml) throws IOException {
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    if (!force) {
      try {
        Files.write(output, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    Path dir = output.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, ".watchsync-import-", ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }
}
