package io.watchsync.repo.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** I/O failures in the words of a one-line message, for every repo-builder command. */
public final class IoErrors {
  private IoErrors() {}

  /** Why, without the path (the caller names the file): "permission denied", … */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f) {
      if (f.getReason() != null) {
        return f.getReason();
      }
      // These carry only the path as their message: say what the type means instead.
      if (e instanceof FileAlreadyExistsException) {
        return "file exists";
      }
      if (e instanceof NotDirectoryException) {
        return "not a directory";
      }
      if (e instanceof DirectoryNotEmptyException) {
        return "directory not empty";
      }
      if (e instanceof FileSystemLoopException) {
        return "too many levels of symbolic links";
      }
      return e.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** The path the failure names, when it names one, then why: "/srv/repo/x: permission denied". */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      return f.getFile() + ": " + reason(e);
    }
    return reason(e);
  }
}
