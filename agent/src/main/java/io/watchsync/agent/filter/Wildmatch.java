package io.watchsync.agent.filter;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * rsync's wildcard matcher ({@code wildmatch.c}), byte for byte, so a pattern selects exactly the
 * names rsync's own exclude code selects: {@code *} stops at {@code /}, {@code **} crosses it,
 * {@code ?} is one byte other than {@code /}, {@code [...]} is a class ({@code !} or {@code ^}
 * negates, ranges, {@code [:alpha:]} and friends in the C locale), {@code \} quotes the next byte.
 * Names are raw bytes; each byte is one "character", as in rsync.
 */
final class Wildmatch {
  private static final int FALSE = 0;
  private static final int TRUE = 1;
  private static final int ABORT_ALL = -1;
  private static final int ABORT_TO_STARSTAR = -2;

  private Wildmatch() {}

  /**
   * rsync's {@code wildmatch_array}: {@code where > 0} matches the last {@code where} path elements
   * only, {@code where < 0} tries the start and after every {@code /}, {@code 0} matches from the
   * start.
   */
  static boolean matchArray(byte[] pattern, byte[] text, int where) {
    int start = 0;
    if (where > 0) {
      start = trailingElements(text, where);
      if (start < 0) {
        return false;
      }
    }
    int matched = dowild(pattern, 0, text, start);
    if (matched != TRUE && where < 0 && matched != ABORT_ALL) {
      int i = start;
      while (true) {
        if (i >= text.length) {
          return false;
        }
        if (text[i++] == '/') {
          matched = dowild(pattern, 0, text, i);
          if (matched != FALSE && matched != ABORT_TO_STARSTAR) {
            break;
          }
        }
      }
    }
    return matched == TRUE;
  }

  /** Index where the last {@code count} elements start, or -1 when there are fewer. */
  private static int trailingElements(byte[] text, int count) {
    for (int i = text.length - 1; i >= 0; i--) {
      if (text[i] == '/' && --count == 0) {
        return i + 1;
      }
    }
    return count == 1 ? 0 : -1;
  }

  private static int at(byte[] b, int i) {
    return i < b.length ? b[i] & 0xff : 0;
  }

  private static int dowild(byte[] p, int pi, byte[] text, int ti) {
    for (; pi < p.length; pi++, ti++) {
      int pch = p[pi] & 0xff;
      int tch;
      if (ti >= text.length) {
        if (pch != '*') {
          return ABORT_ALL;
        }
        tch = 0;
      } else {
        tch = text[ti] & 0xff;
      }
      switch (pch) {
        case '\\':
          pch = at(p, ++pi);
          if (tch != pch) {
            return FALSE;
          }
          continue;
        case '?':
          if (tch == '/') {
            return FALSE;
          }
          continue;
        case '*':
          {
            boolean special = false;
            if (at(p, ++pi) == '*') {
              while (at(p, ++pi) == '*') {}
              special = true;
            }
            if (pi >= p.length) {
              // A trailing "**" matches everything, a trailing "*" only what has no more '/'.
              if (!special) {
                for (int i = ti; i < text.length; i++) {
                  if (text[i] == '/') {
                    return FALSE;
                  }
                }
              }
              return TRUE;
            }
            while (tch != 0) {
              int matched = dowild(p, pi, text, ti);
              if (matched != FALSE) {
                if (!special || matched != ABORT_TO_STARSTAR) {
                  return matched;
                }
              } else if (!special && tch == '/') {
                return ABORT_TO_STARSTAR;
              }
              tch = at(text, ++ti);
            }
            return ABORT_ALL;
          }
        case '[':
          {
            pch = at(p, ++pi);
            if (pch == '^') {
              pch = '!';
            }
            boolean negated = pch == '!';
            if (negated) {
              pch = at(p, ++pi);
            }
            int prev = 0;
            boolean matched = false;
            do {
              if (pch == 0) {
                return ABORT_ALL;
              }
              if (pch == '\\') {
                pch = at(p, ++pi);
                if (pch == 0) {
                  return ABORT_ALL;
                }
                if (tch == pch) {
                  matched = true;
                }
              } else if (pch == '-' && prev != 0 && at(p, pi + 1) != 0 && at(p, pi + 1) != ']') {
                pch = at(p, ++pi);
                if (pch == '\\') {
                  pch = at(p, ++pi);
                  if (pch == 0) {
                    return ABORT_ALL;
                  }
                }
                if (tch <= pch && tch >= prev) {
                  matched = true;
                }
                pch = 0; // so that prev becomes 0: no range may start here
              } else if (pch == '[' && at(p, pi + 1) == ':') {
                int s = pi += 2;
                while ((pch = at(p, pi)) != 0 && pch != ']') {
                  pi++;
                }
                if (pch == 0) {
                  return ABORT_ALL;
                }
                int len = pi - s - 1;
                if (len < 0 || at(p, pi - 1) != ':') {
                  // No ":]": the '[' is an ordinary member of the set.
                  pi = s - 2;
                  pch = '[';
                  if (tch == pch) {
                    matched = true;
                  }
                  continue;
                }
                Boolean inClass = inClass(new String(p, s, len, ISO_8859_1), tch);
                if (inClass == null) {
                  return ABORT_ALL;
                }
                if (inClass) {
                  matched = true;
                }
                pch = 0;
              } else if (tch == pch) {
                matched = true;
              }
            } while ((prev = pch) >= 0 && (pch = at(p, ++pi)) != ']');
            if (matched == negated || tch == '/') {
              return FALSE;
            }
            continue;
          }
        default:
          if (tch != pch) {
            return FALSE;
          }
      }
    }
    return ti >= text.length ? TRUE : FALSE;
  }

  /** C-locale character classes; {@code null} for an unknown class name. */
  static Boolean inClass(String name, int c) {
    boolean upper = c >= 'A' && c <= 'Z';
    boolean lower = c >= 'a' && c <= 'z';
    boolean digit = c >= '0' && c <= '9';
    boolean graph = c > 0x20 && c < 0x7f;
    switch (name) {
      case "alnum":
        return upper || lower || digit;
      case "alpha":
        return upper || lower;
      case "blank":
        return c == ' ' || c == '\t';
      case "cntrl":
        return c < 0x20 || c == 0x7f;
      case "digit":
        return digit;
      case "graph":
        return graph;
      case "lower":
        return lower;
      case "print":
        return graph || c == ' ';
      case "punct":
        return graph && !(upper || lower || digit);
      case "space":
        return c == ' ' || (c >= '\t' && c <= '\r');
      case "upper":
        return upper;
      case "xdigit":
        return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      default:
        return null;
    }
  }

  /**
   * Why rsync would never match anything with this wildcard pattern (an unclosed {@code [}, an
   * unknown {@code [:class:]}, a trailing lone {@code \}), or {@code null} when it is well formed.
   */
  static String syntaxProblem(byte[] p) {
    for (int pi = 0; pi < p.length; pi++) {
      int pch = p[pi] & 0xff;
      if (pch == '\\') {
        if (pi + 1 >= p.length) {
          return "ends with a lone \\";
        }
        pi++;
      } else if (pch == '[') {
        int end = classEnd(p, pi);
        if (end == -1) {
          return "has a [ that is never closed by ]";
        }
        if (end == -2) {
          return "has an unknown character class (use [:alpha:], [:digit:], [:space:], …)";
        }
        pi = end;
      }
    }
    return null;
  }

  /** Index of the ']' closing the class opened at {@code open}; -1 unclosed, -2 bad class. */
  private static int classEnd(byte[] p, int open) {
    int pi = open + 1;
    int pch = at(p, pi);
    if (pch == '!' || pch == '^') {
      pch = at(p, ++pi);
    }
    do {
      if (pch == 0) {
        return -1;
      }
      if (pch == '\\') {
        if (at(p, ++pi) == 0) {
          return -1;
        }
      } else if (pch == '[' && at(p, pi + 1) == ':') {
        int s = pi + 2;
        int q = s;
        while (at(p, q) != 0 && at(p, q) != ']') {
          q++;
        }
        if (at(p, q) == 0) {
          return -1;
        }
        if (q - s - 1 >= 0 && at(p, q - 1) == ':') {
          if (inClass(new String(p, s, q - s - 1, ISO_8859_1), 'a') == null) {
            return -2;
          }
          pi = q;
        }
      }
      pch = at(p, ++pi);
    } while (pch != ']');
    return pi;
  }
}
