package io.watchsync.repo.metadata;

/** The dependency lists of primary.xml, in the order createrepo_c writes them. */
public enum DependencyKind {
  PROVIDES("provides"),
  REQUIRES("requires"),
  CONFLICTS("conflicts"),
  OBSOLETES("obsoletes"),
  SUGGESTS("suggests"),
  ENHANCES("enhances"),
  RECOMMENDS("recommends"),
  SUPPLEMENTS("supplements");

  private final String element;

  DependencyKind(String element) {
    this.element = element;
  }

  /** The element's local name, written as {@code rpm:NAME}. */
  public String element() {
    return element;
  }
}
