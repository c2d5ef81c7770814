package io.watchsync.agent.config;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a YAML file into its node tree, which keeps the line of every value for error messages. A
 * file that is missing, too large, not UTF-8 or not YAML becomes a one-line {@link ConfigException}
 * naming the file.
 */
final class YamlDocument {
  private YamlDocument() {}

  /** The root node of {@code file}, or null when the file holds no document. */
  static Node read(Path file) throws ConfigException {
    return compose(file, text(file));
  }

  private static String text(Path file) throws ConfigException {
    byte[] bytes = ConfigFileBytes.read(file, "a configuration file");
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text");
    }
  }

  private static Node compose(Path file, String text) throws ConfigException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(1000);
    try {
      return new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new ConfigException(where + ": not valid YAML: " + oneLine(problem));
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String s) {
    return s == null ? "syntax error" : s.replaceAll("\\s+", " ").strip();
  }
}
