package io.watchsync.repo.mirror;

import io.watchsync.repo.mirror.model.FilelistsParser;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.resolve.Arches;
import io.watchsync.repo.mirror.resolve.ModuleFilter;
import io.watchsync.repo.mirror.resolve.Pool;
import io.watchsync.repo.mirror.resolve.Resolver;
import io.watchsync.repo.mirror.resolve.Selector;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packages a run mirrors: the arguments' packages (or all, with --all) among those the module
 * streams leave visible, and their dependency closure, reading filelists.xml only for file
 * requirements primary.xml does not answer.
 *
 * @param chosen every package to mirror
 * @param unmatched arguments nothing matched
 * @param problems unsatisfiable requirements
 * @param streams the module streams taken as active
 */
record Closure(
    Set<Pkg> chosen, List<String> unmatched, List<String> problems, List<String> streams) {

  /** What to take: the arguments, or everything; versions; how to resolve; which streams. */
  record Request(
      List<String> args,
      boolean all,
      int keep,
      Resolver.Options options,
      Map<String, String> moduleStreams) {}

  static Closure of(Catalog catalog, Arches arches, Request request)
      throws MirrorException, InterruptedException {
    ModuleFilter filter = new ModuleFilter(catalog.modules(), request.moduleStreams());
    List<Pkg> everything = catalog.packages();
    Pool pool =
        new Pool(request.all() ? everything : everything.stream().filter(filter::visible).toList());
    Selector selector = new Selector(pool, catalog.groups(), arches, request.keep());
    Set<Pkg> roots = new LinkedHashSet<>();
    List<String> unmatched = List.of();
    if (request.all()) {
      roots.addAll(selector.all());
      everything.stream().filter(filter::modular).forEach(roots::add);
    }
    if (!request.args().isEmpty()) {
      Selector.Selection s = selector.select(request.args());
      roots.addAll(s.roots());
      unmatched = s.unmatched();
    }
    Resolver.Result result = new Resolver(pool, arches, request.options()).resolve(roots);
    Set<String> filesRead = new HashSet<>();
    while (!result.unresolvedFiles().isEmpty() && filesRead.addAll(result.unresolvedFiles())) {
      Set<String> wanted = Set.copyOf(result.unresolvedFiles());
      for (UpstreamRepo repo : catalog.repos()) {
        if (repo.has("filelists")) {
          Catalog.read(repo, "filelists", in -> FilelistsParser.parse(in, wanted, pool::addFile));
        }
      }
      result = new Resolver(pool, arches, request.options()).resolve(roots);
    }
    return new Closure(result.chosen(), unmatched, result.problems(), filter.streams());
  }
}
