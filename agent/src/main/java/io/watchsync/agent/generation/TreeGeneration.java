package io.watchsync.agent.generation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A replicated tree's generation: a number that only grows, raised each time a backup takes over as
 * primary, kept in the file {@value #FILE_NAME} at the top of the tree (one line: the number,
 * optionally followed by the name of the node that raised it). The file travels with the tree, so a
 * backup holds the generation of the primary that last replicated to it, and a primary never pushes
 * to a tree whose generation is newer than its own: that tree belongs to a primary promoted since.
 * A tree without the file is generation 0.
 *
 * @param number the generation, 0 or more
 * @param node the node that raised it to this number, or empty when not known
 */
public record TreeGeneration(long number, String node) {
  public static final String FILE_NAME = ".watchsync-generation";
  public static final TreeGeneration NONE = new TreeGeneration(0, "");

  /** The longest file read: a number and a host name. */
  static final int MAX_BYTES = 512;

  public TreeGeneration {
    if (number < 0) {
      throw new IllegalArgumentException("a generation is never negative, got " + number);
    }
    node = node == null ? "" : node;
  }

  /**
   * Reads a generation file's text: the number, then optionally white space and the node's name.
   *
   * @throws IllegalArgumentException when the text is not that
   */
  public static TreeGeneration parse(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty, expected a generation number");
    }
    String[] words = t.split("\\s+");
    if (words.length > 2 || !words[0].matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException(
          "expected a generation number and optionally a node name, got \""
              + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
              + "\"");
    }
    return new TreeGeneration(Long.parseLong(words[0]), words.length == 2 ? words[1] : "");
  }

  /** The generation of the tree at {@code root}: its file's, or {@link #NONE} without one. */
  public static TreeGeneration of(Path root) throws IOException {
    return read(root.resolve(FILE_NAME));
  }

  /** Reads a generation file; {@link #NONE} when it does not exist. */
  public static TreeGeneration read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return NONE;
    }
    if (bytes.length > MAX_BYTES) {
      throw new IOException(file + ": not a generation file (" + bytes.length + " bytes)");
    }
    try {
      return parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The next generation, raised by {@code byNode}. */
  public TreeGeneration next(String byNode) {
    return new TreeGeneration(number + 1, byNode);
  }

  /**
   * Why a primary at this generation must not push to a tree at {@code target}, or null when it
   * may: the target's number is higher, or the same number was raised by another node (two backups
   * promoted to the same generation: split brain).
   */
  public String refusesToPushTo(TreeGeneration target) {
    if (target.number > number) {
      return "the target's tree is at generation "
          + target.describe()
          + ", newer than this source's "
          + describe()
          + ": a backup was promoted since, and this node must not overwrite it";
    }
    if (target.number == number
        && number > 0
        && !node.isEmpty()
        && !target.node.isEmpty()
        && !node.equals(target.node)) {
      return "the target's tree and this source both claim generation "
          + number
          + " (raised by "
          + target.node
          + " there and by "
          + node
          + " here): two primaries, split brain";
    }
    return null;
  }

  /** {@code 5} or {@code 5 (raised by nfs2)}. */
  public String describe() {
    return node.isEmpty() ? Long.toString(number) : number + " (raised by " + node + ")";
  }

  /** The file's text: {@code 5 nfs2\n}. */
  public String format() {
    return (node.isEmpty() ? Long.toString(number) : number + " " + node) + "\n";
  }
}
