package io.watchsync.repo.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a changelog written as in a spec file's %changelog section, newest entry first:
 *
 * <pre>
 * * Tue Nov 24 2026 Jane Doe &lt;jane@example.org&gt; - 0.1.0-1
 * - What changed
 * </pre>
 *
 * Dates are parsed in English whatever the machine's locale, so the build does not depend on it.
 */
public final class Changelog {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE MMM d yyyy", Locale.ENGLISH);

  private Changelog() {}

  public static List<ChangelogEntry> read(Path file) throws PackagingException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PackagingException("cannot read changelog " + file + ": " + e.getMessage(), e);
    }
    List<ChangelogEntry> entries = new ArrayList<>();
    LocalDate date = null;
    String author = null;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).stripTrailing();
      if (line.startsWith("*")) {
        if (date != null) {
          entries.add(entry(file, i, date, author, text));
        }
        String[] words = line.substring(1).trim().split("\\s+", 5);
        if (words.length < 5) {
          throw new PackagingException(
              file + ":" + (i + 1) + ": expected '* Day Mon DD YYYY Author <mail> - version'");
        }
        String dateText = String.join(" ", words[0], words[1], words[2], words[3]);
        try {
          date = LocalDate.parse(dateText, DATE);
        } catch (DateTimeParseException e) {
          throw new PackagingException(
              file + ":" + (i + 1) + ": bad date '" + dateText + "' (want e.g. Tue Nov 24 2026)");
        }
        if (!entries.isEmpty() && entries.get(entries.size() - 1).date().isBefore(date)) {
          throw new PackagingException(
              file + ":" + (i + 1) + ": entries must be newest first, " + dateText + " is newer");
        }
        author = words[4];
        text.setLength(0);
      } else if (date == null) {
        if (!line.isBlank()) {
          throw new PackagingException(file + ":" + (i + 1) + ": text before the first '*' line");
        }
      } else if (!line.isBlank()) {
        text.append(text.length() == 0 ? "" : "\n").append(line);
      }
    }
    if (date != null) {
      entries.add(entry(file, lines.size(), date, author, text));
    }
    if (entries.isEmpty()) {
      throw new PackagingException(file + ": no changelog entry");
    }
    return List.copyOf(entries);
  }

  private static ChangelogEntry entry(
      Path file, int line, LocalDate date, String author, StringBuilder text)
      throws PackagingException {
    if (text.length() == 0) {
      throw new PackagingException(file + ":" + line + ": changelog entry without text");
    }
    return new ChangelogEntry(date, author, text.toString());
  }
}
