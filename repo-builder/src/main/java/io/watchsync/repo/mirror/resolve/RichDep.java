package io.watchsync.repo.mirror.resolve;

import io.watchsync.repo.metadata.Dependency;
import io.watchsync.repo.mirror.model.Dep;
import io.watchsync.repo.rpm.Evr;
import java.util.ArrayList;
import java.util.List;

/**
 * A dependency as a tree: a plain capability, or rpm's boolean operators (and, or, if, if-else,
 * unless, unless-else, with, without) over nested dependencies, as in {@code (a >= 1 or (b if c))}.
 */
sealed interface RichDep {
  /** A plain capability. */
  record Atom(Dep dep) implements RichDep {
    @Override
    public String toString() {
      return dep.toString();
    }
  }

  /**
   * An operator: and/or/with/without over {@code args}; if/unless with args [then, condition] or
   * [then, condition, else].
   */
  record Op(String op, List<RichDep> args) implements RichDep {
    @Override
    public String toString() {
      if (op.equals("if") || op.equals("unless")) {
        return "("
            + args.get(0)
            + " "
            + op
            + " "
            + args.get(1)
            + (args.size() > 2 ? " else " + args.get(2) : "")
            + ")";
      }
      StringBuilder s = new StringBuilder("(");
      for (int i = 0; i < args.size(); i++) {
        s.append(i == 0 ? "" : " " + op + " ").append(args.get(i));
      }
      return s.append(')').toString();
    }
  }

  /** The tree of {@code dep}: a plain one as an Atom, a rich one parsed. */
  static RichDep of(Dep dep) {
    if (!dep.rich()) {
      return new Atom(dep);
    }
    Parser p = new Parser(tokens(dep.name()));
    RichDep tree = p.term();
    if (p.pos != p.tokens.size()) {
      throw new IllegalArgumentException("trailing text in " + dep.name());
    }
    return tree;
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        int nesting = 0;
        while (i < s.length()
            && !Character.isWhitespace(s.charAt(i))
            && !(s.charAt(i) == ')' && nesting == 0)) {
          // A capability name may hold parentheses of its own: perl(Foo::Bar), libc.so.6()(64bit).
          if (s.charAt(i) == '(' && i > start) {
            nesting++;
          } else if (s.charAt(i) == ')') {
            nesting--;
          } else if (s.charAt(i) == '(') {
            break;
          }
          i++;
        }
        out.add(s.substring(start, i));
      }
    }
    return out;
  }

  /** A recursive-descent reader of the tokens. */
  final class Parser {
    private static final List<String> OPS =
        List.of("and", "or", "if", "else", "unless", "with", "without");
    private static final List<String> COMPARISONS = List.of("=", "==", "<", ">", "<=", ">=");

    final List<String> tokens;
    int pos;

    Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    RichDep term() {
      String t = next();
      if (!t.equals("(")) {
        return atom(t);
      }
      RichDep first = term();
      if (peek(")")) {
        pos++;
        return first;
      }
      String op = next();
      if (!OPS.contains(op) || op.equals("else")) {
        throw new IllegalArgumentException("unknown operator " + op);
      }
      List<RichDep> args = new ArrayList<>(List.of(first, term()));
      while (!peek(")")) {
        String more = next();
        if (more.equals("else") && (op.equals("if") || op.equals("unless"))) {
          args.add(term());
        } else if (more.equals(op) && !op.equals("if") && !op.equals("unless")) {
          args.add(term());
        } else {
          throw new IllegalArgumentException("cannot mix " + op + " and " + more);
        }
      }
      pos++;
      return new Op(op, List.copyOf(args));
    }

    private RichDep atom(String name) {
      if (pos < tokens.size() && COMPARISONS.contains(tokens.get(pos))) {
        String cmp = tokens.get(pos++);
        String[] evr = Dependency.splitEvr(next());
        String flags =
            switch (cmp) {
              case "=", "==" -> "EQ";
              case "<" -> "LT";
              case ">" -> "GT";
              case "<=" -> "LE";
              default -> "GE";
            };
        long epoch = evr == null || evr[0] == null ? 0 : Long.parseLong(evr[0]);
        String version = evr == null || evr[1] == null ? "" : evr[1];
        return new Atom(new Dep(name, flags, new Evr(epoch, version, evr == null ? null : evr[2])));
      }
      return new Atom(new Dep(name, null, null));
    }

    private boolean peek(String t) {
      return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private String next() {
      if (pos >= tokens.size()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return tokens.get(pos++);
    }
  }
}
