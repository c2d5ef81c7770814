package io.watchsync.repo.metadata;

/** One changelog entry of other.xml: author line, date (seconds since the epoch) and text. */
public record ChangelogItem(String author, long date, String text) {}
