package io.watchsync.repo.build;

import java.time.LocalDate;

/** One %changelog entry: "* Tue Nov 24 2026 Author <mail> - 1.0-1" and its text lines. */
public record ChangelogEntry(LocalDate date, String author, String text) {}
