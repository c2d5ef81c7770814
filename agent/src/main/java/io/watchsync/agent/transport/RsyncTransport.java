package io.watchsync.agent.transport;

import io.watchsync.agent.config.DeletionBudget;
import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.fs.DirectoryLister;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.generation.TakeoverQuarantine;
import io.watchsync.agent.generation.TreeGeneration;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import io.watchsync.agent.replicate.Transport;
import io.watchsync.agent.replicate.Work;
import io.watchsync.agent.source.SourceCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Delivers changes with rsync: one rsync process per batch, the paths given as NUL-separated raw
 * bytes on its standard input, so any file name the kernel accepts arrives unchanged. No shell ever
 * sees a file name on a command line; the password stays in its file.
 */
public final class RsyncTransport implements Transport {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private final byte[] sourceBytes;

  private static final int RENAME_ROOT_MISSING = 4;

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a target's generation, once checked, is trusted before a run other than a full sync
   * checks it again: one more round trip per run would double the latency of small batches.
   */
  private static final Duration GENERATION_RECHECK = Duration.ofSeconds(2);

  /** When the target's generation was last found acceptable (nanoTime); 0 when it must be. */
  private volatile long generationCheckedAt;

  /**
   * The target's generation is older than the source's, as last checked: a takeover happened and no
   * full sync completed since. Null when it is not.
   */
  private volatile String behindBy;

  private final RsyncSettings settings;
  private final RsyncCommand command;
  private final SourceCheck sourceCheck;
  private final DeletionBudget budget;
  private final TargetGenerations generations;

  /** A bare transport: no deletion budget, no check of the source's file system. */
  public RsyncTransport(RsyncSettings settings) {
    this(settings, SourceCheck.NONE, DeletionBudget.UNLIMITED);
  }

  /**
   * @param sourceCheck asked right before every run: a source that is not the one recorded at start
   *     (its file system unmounted) makes the run {@link Verdict#SOURCE_LOST}, not made
   * @param budget how much a full sync may delete before it waits for the operator
   */
  public RsyncTransport(RsyncSettings settings, SourceCheck sourceCheck, DeletionBudget budget) {
    this.sourceBytes = DirectoryLister.nativeBytes(settings.source());
    this.settings = settings;
    this.command = new RsyncCommand(settings);
    this.sourceCheck = sourceCheck;
    this.budget = budget;
    this.generations = new TargetGenerations(settings, command, cmd -> rsync(cmd, new byte[0]));
  }

  public RsyncSettings settings() {
    return settings;
  }

  /** The argument lists this transport runs (for {@code check} output and tests). */
  public RsyncCommand command() {
    return command;
  }

  @Override
  public Delivery send(List<RelPath> paths, boolean recursive) throws InterruptedException {
    if (paths.isEmpty()) {
      return Delivery.done("nothing to send");
    }
    // In tree order, rsync walks each directory once instead of hopping between them.
    List<RelPath> present = new ArrayList<>();
    List<RelPath> missing = new ArrayList<>();
    for (RelPath p : paths) {
      (p.isRoot() || DirectoryLister.exists(p.toNative(sourceBytes)) ? present : missing).add(p);
    }
    Collections.sort(present);
    // Checked after the paths were sorted into present and missing: a source unmounted before
    // that shows every path missing, and is caught here, before anything is deleted.
    Delivery refused = mayNotRun(false);
    if (refused != null) {
      return refused;
    }
    Delivery sent = present.isEmpty() ? null : rsync(command.send(recursive), fileList(present));
    if (missing.isEmpty() || (sent != null && sent.verdict() == Verdict.TARGET_DOWN)) {
      return sent;
    }
    Delivery lost = sourceLost();
    if (lost != null) {
      return lost;
    }
    Delivery deleted = rsync(command.delete(), DeletionList.of(missing));
    return sent == null ? deleted : Delivery.combine(sent, deleted);
  }

  private static byte[] fileList(List<RelPath> paths) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    for (RelPath p : paths) {
      if (p.isRoot()) {
        list.write('.');
      } else {
        p.writeTo(list);
      }
      list.write(0);
    }
    return list.toByteArray();
  }

  /**
   * Mirrors the whole source. Unless {@code deletionsAllowed} or the budget is off, a dry run first
   * counts what it would delete on the target: over the budget, nothing is run and the target waits
   * for the operator. An empty or nearly empty source (the export not mounted, one stray file in
   * the mount point) is caught this way: it would delete almost all of the target.
   */
  @Override
  public Delivery fullSync(boolean deletionsAllowed) throws InterruptedException {
    Delivery refused = mayNotRun(true);
    if (refused != null) {
      return refused;
    }
    String behind = behindBy;
    String keepDir = behind == null ? null : TakeoverQuarantine.pathAt(Instant.now());
    if (!deletionsAllowed && !budget.unlimited()) {
      DeletionCount count = new DeletionCount();
      Delivery dry = rsync(command.fullSyncDryRun(), new byte[0], count::accept);
      if (!dry.ok()) {
        return dry;
      }
      String over = budget.exceededBy(count.deletions(), count.targetEntries());
      Delivery lost = sourceLost();
      if (lost != null) {
        return lost;
      }
      if (over != null) {
        return withoutDeletions(
            "it would delete "
                + count.deletions()
                + " of the "
                + count.targetEntries()
                + " entries on the target, "
                + over
                + " (max_delete "
                + budget.format()
                + ")",
            keepDir);
      }
    }
    if (keepDir == null) {
      return rsync(command.fullSync(), new byte[0]);
    }
    return keepingReplaced(behind, keepDir);
  }

  /**
   * The first full sync since a takeover ({@code behind} says which generations): whatever it
   * deletes or overwrites on the target is moved into {@code keepDir} there, then the generation
   * file goes, and the target is no longer behind.
   */
  private Delivery keepingReplaced(String behind, String keepDir) throws InterruptedException {
    ReplacedCount replaced = new ReplacedCount();
    Delivery d =
        rsync(command.fullSyncKeepingReplaced(true, keepDir), new byte[0], replaced::accept);
    logKept(replaced, behind, keepDir);
    if (!d.ok()) {
      return d;
    }
    Delivery generation = rsync(command.sendGenerationFile(), new byte[0]);
    if (!generation.ok()) {
      return generation;
    }
    behindBy = null;
    return new Delivery(
        Verdict.DONE,
        d.detail(),
        d.files() + generation.files(),
        d.bytes() + generation.bytes(),
        d.itemized());
  }

  private void logKept(ReplacedCount replaced, String behind, String keepDir) {
    if (replaced.count() > 0) {
      LOG.warning(
          settings.target().toString()
              + ": first full sync since a takeover ("
              + behind
              + "): "
              + replaced.count()
              + (replaced.count() == 1 ? " entry" : " entries")
              + " this tree does not have, or has in another version, moved into "
              + keepDir
              + " on the target instead of deleted or overwritten ("
              + String.join(", ", replaced.firstNames())
              + (replaced.count() > replaced.firstNames().size() ? ", …" : "")
              + "); review it and merge what is wanted into the primary");
    }
  }

  /**
   * A full sync over the deletion budget: everything new or changed is still sent (the backup gets
   * the data), nothing is deleted, and the delivery says {@link Verdict#DELETIONS_HELD} with {@code
   * why}, so the deletions wait for the operator. A failed run says how it failed instead.
   */
  private Delivery withoutDeletions(String why, String keepDir) throws InterruptedException {
    Delivery sent;
    if (keepDir == null) {
      sent = rsync(command.fullSyncWithoutDeletions(), new byte[0]);
    } else {
      // Behind since a takeover: what it overwrites is kept too, and the target stays behind.
      ReplacedCount replaced = new ReplacedCount();
      sent = rsync(command.fullSyncKeepingReplaced(false, keepDir), new byte[0], replaced::accept);
      logKept(replaced, behindBy, keepDir);
    }
    if (!sent.ok() && sent.verdict() != Verdict.RETRY_LATER) {
      return sent;
    }
    // A partial transfer (a directory the source replaced with a file stays) is held all the same.
    String partly = sent.ok() ? "" : " (" + sent.detail() + ")";
    return new Delivery(
        Verdict.DELETIONS_HELD,
        why + "; sent what is new or changed, deleted nothing" + partly,
        sent.files(),
        sent.bytes(),
        sent.itemized());
  }

  /**
   * Why a run must not be made now (the source is lost, or the target's tree is newer: see {@link
   * #generationRefuses}), or null when it may. {@code fresh} asks the target's generation anew.
   */
  private Delivery mayNotRun(boolean fresh) throws InterruptedException {
    Delivery lost = sourceLost();
    return lost != null ? lost : generationRefuses(fresh);
  }

  /**
   * The split-brain guard: a delivery saying the run must not be made because the target's tree is
   * newer than the source's ({@link TreeGeneration#refusesToPushTo}), or that its generation could
   * not be read (the target is down); null when the run may go. Full syncs always ask the target;
   * other runs trust an answer for {@link #GENERATION_RECHECK}.
   */
  private Delivery generationRefuses(boolean fresh) throws InterruptedException {
    long checked = generationCheckedAt;
    long now = System.nanoTime();
    if (!fresh && checked != 0 && now - checked < GENERATION_RECHECK.toNanos()) {
      return null;
    }
    Delivery d = checkGeneration();
    if (d.ok()) {
      generationCheckedAt = now;
      return null;
    }
    generationCheckedAt = 0;
    return d;
  }

  /**
   * Compares the target's generation with the source's, without changing anything: {@link
   * Verdict#DONE} naming both when this source may push, {@link Verdict#SPLIT_BRAIN} when it must
   * not, or the failure that kept the target's generation from being read.
   */
  public Delivery checkGeneration() throws InterruptedException {
    TreeGeneration own;
    try {
      own = TreeGeneration.of(settings.source());
    } catch (IOException e) {
      return failed("cannot read this source's generation: " + e.getMessage());
    }
    TargetGenerations.Read theirs = generations.read();
    if (theirs.unreadable() != null) {
      return theirs.unreadable();
    }
    String refusal = own.refusesToPushTo(theirs.generation());
    if (refusal != null) {
      return Delivery.notRun(Verdict.SPLIT_BRAIN, "split-brain guard: " + refusal);
    }
    behindBy =
        theirs.generation().number() < own.number()
            ? "generation " + theirs.generation().describe() + " there, " + own.describe() + " here"
            : null;
    return Delivery.done(
        "generation "
            + theirs.generation().describe()
            + " on the target, "
            + own.describe()
            + " here");
  }

  /**
   * The target's generation, read without changing anything.
   *
   * @throws IOException when it cannot be read (the target is down, refuses the login, the file is
   *     not a generation file); the message says why
   */
  public TreeGeneration targetGeneration() throws IOException, InterruptedException {
    TargetGenerations.Read theirs = generations.read();
    if (theirs.unreadable() != null) {
      throw new IOException(theirs.unreadable().detail());
    }
    return theirs.generation();
  }

  /**
   * Makes the source equal to the target, moving what that would delete or overwrite in the source
   * into {@code backupDir} (see {@link RsyncCommand#mirrorFromTarget}); with {@code dryRun} it only
   * lists what it would change. No guard applies: the caller has compared the generations.
   */
  public Delivery mirrorFromTarget(Path backupDir, boolean dryRun) throws InterruptedException {
    return rsync(command.mirrorFromTarget(backupDir, dryRun), new byte[0]);
  }

  /** A delivery saying the run was not made because the source is lost; null when it is not. */
  private Delivery sourceLost() {
    String why = sourceCheck.lostBecause();
    return why == null ? null : Delivery.notRun(Verdict.SOURCE_LOST, "source lost: " + why);
  }

  /**
   * Ends the shared ssh connection's master, if one runs, rather than leaving it for its idle
   * timeout: the agent stopped, or the target went from the configuration.
   */
  @Override
  public void close() throws InterruptedException {
    List<String> exit = command.closeSharedConnection();
    if (exit == null || !Files.exists(command.sshSharing().socket())) {
      return;
    }
    try {
      ProcessRun.Result r = ProcessRun.run(exit, Map.of(), new byte[0], line -> {}, CLOSE_TIMEOUT);
      if (r.exitCode() != 0) {
        LOG.fine("closing the shared ssh connection: " + r.stderrTail().strip());
      }
    } catch (IOException e) {
      LOG.fine("closing the shared ssh connection: " + e.getMessage());
    }
  }

  @Override
  public boolean supportsRename() {
    return settings.target().kind() != TargetUrl.Kind.DAEMON;
  }

  /**
   * Renames on the target with {@code mv -T}, one after the other, all in one {@code /bin/sh} run
   * locally or over ssh (one session for many renames).
   *
   * <p>When an old name does not exist on the target (it was never sent, or was already moved) this
   * returns {@link Verdict#FAILED} with the detail "source of rename missing on target": the
   * replicator does not retry a failed rename, and the queue re-sends both names of every rename
   * recursively, so the new names arrive in full either way. Only an unreachable ssh host gives
   * {@link Verdict#TARGET_DOWN}, so the renames are retried later.
   */
  @Override
  public Delivery rename(List<Work.Rename> moves) throws InterruptedException {
    if (!supportsRename()) {
      return failed("an rsync daemon target cannot rename; the paths are sent again instead");
    }
    for (Work.Rename m : moves) {
      if (m.from().isRoot() || m.to().isRoot() || m.to().startsWith(m.from())) {
        return failed("cannot rename " + m.from() + " to " + m.to());
      }
    }
    Delivery refused = mayNotRun(false);
    if (refused != null) {
      return refused;
    }
    List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    ProcessRun.Result r;
    try {
      r = ProcessRun.run(command.shell(), Map.of(), renameScript(moves), outcomes::add);
    } catch (IOException e) {
      return failed("cannot run " + command.shell().get(0) + ": " + e.getMessage());
    }
    if (r.exitCode() == 255 && settings.target().kind() == TargetUrl.Kind.SSH) {
      // Only ssh itself exits 255: the host is unreachable or refused the login.
      Verdict verdict = RsyncExit.of(255, r.stderrTail()).verdict();
      String detail =
          "ssh to "
              + settings.target().sshHost()
              + " failed: "
              + RsyncExit.lastWords(r.stderrTail());
      return new Delivery(verdict, scrub(detail), 0, 0, List.of());
    }
    if (r.exitCode() == RENAME_ROOT_MISSING) {
      return failed("target directory " + settings.target().directory() + " does not exist");
    }
    if (r.exitCode() != 0 || outcomes.size() != moves.size()) {
      return failed(
          "renames on the target ended early (exit "
              + r.exitCode()
              + ", "
              + outcomes.size()
              + " of "
              + moves.size()
              + " done): "
              + RsyncExit.lastWords(r.stderrTail()));
    }
    return renameDelivery(moves, outcomes, r.stderrTail());
  }

  /** What the renames did, from the word the script printed for each: ok, missing or failed. */
  private Delivery renameDelivery(List<Work.Rename> moves, List<String> outcomes, String stderr) {
    List<String> done = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < moves.size(); i++) {
      Work.Rename m = moves.get(i);
      switch (outcomes.get(i).strip()) {
        case "ok" -> done.add(m.from() + " -> " + m.to());
        case "missing" -> problems.add("source of rename missing on target: " + m.from());
        default ->
            problems.add(
                "rename " + m.from() + " -> " + m.to() + " failed: " + RsyncExit.lastWords(stderr));
      }
    }
    if (!problems.isEmpty()) {
      String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
      String renamed = done.isEmpty() ? "" : "renamed " + done.size() + ", then ";
      return new Delivery(
          Verdict.FAILED, scrub(renamed + problems.get(0) + more), done.size(), 0, done);
    }
    String detail =
        done.size() == 1 ? "renamed " + done.get(0) : "renamed " + done.size() + " directories";
    return new Delivery(Verdict.DONE, detail, done.size(), 0, done);
  }

  /**
   * The script {@link #rename} feeds to {@code /bin/sh -s}: for each rename in order, one line
   * saying how it went ({@code ok}, {@code missing}: the old name is not there, {@code failed}).
   */
  byte[] renameScript(List<Work.Rename> moves) {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    write(s, "cd -- ");
    ShellQuote.quote(s, settings.target().directory().getBytes(StandardCharsets.UTF_8));
    write(s, " || exit " + RENAME_ROOT_MISSING + "\n");
    for (Work.Rename m : moves) {
      write(s, "if [ ! -e ");
      ShellQuote.quote(s, m.from().bytes());
      write(s, " ] && [ ! -h ");
      ShellQuote.quote(s, m.from().bytes());
      write(s, " ]; then echo missing\nelif ");
      RelPath parent = m.to().parent();
      if (!parent.isRoot()) {
        write(s, "mkdir -p -- ");
        ShellQuote.quote(s, parent.bytes());
        write(s, " && ");
      }
      write(s, "mv -T -- ");
      ShellQuote.quote(s, m.from().bytes());
      write(s, " ");
      ShellQuote.quote(s, m.to().bytes());
      write(s, "; then echo ok\nelse echo failed\nfi\n");
    }
    return s.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String ascii) {
    out.writeBytes(ascii.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Delivery probe() throws InterruptedException {
    if (settings.target().kind() == TargetUrl.Kind.LOCAL) {
      Path dir = settings.target().localPath();
      if (!Files.isDirectory(dir)) {
        return failed("directory " + dir + " does not exist");
      }
      if (!Files.isWritable(dir)) {
        return failed("directory " + dir + " is not writable");
      }
      return Delivery.done("directory " + dir + " is writable");
    }
    Delivery d = rsync(command.probe(), new byte[0]);
    return d.ok()
        ? Delivery.done("logged in, " + settings.target().rsyncDestination() + " exists")
        : d;
  }

  private Delivery rsync(List<String> cmd, byte[] stdin) throws InterruptedException {
    return rsync(cmd, stdin, line -> {});
  }

  /** Runs rsync; each output line goes to the itemized count and to {@code alsoTo}. */
  private Delivery rsync(List<String> cmd, byte[] stdin, Consumer<String> alsoTo)
      throws InterruptedException {
    Itemized items = new Itemized();
    ProcessRun.Result r;
    try {
      r =
          ProcessRun.run(
              cmd,
              environment(),
              stdin,
              line -> {
                items.accept(line);
                alsoTo.accept(line);
              },
              settings.timeout());
    } catch (IOException e) {
      return failed("cannot run " + settings.binary() + ": " + e.getMessage());
    }
    RsyncExit exit = RsyncExit.of(r.exitCode(), r.stderrTail());
    String detail = exit.code() == 0 ? items.lines() + " items changed" : scrub(exit.detail());
    return new Delivery(exit.verdict(), detail, items.files(), items.bytes(), items.names());
  }

  /**
   * A daemon module that wants a password while none is configured would make rsync prompt on the
   * terminal and wait for ever; an empty {@code RSYNC_PASSWORD} makes it fail at once instead
   * (anonymous modules never ask). A password file, when given, takes precedence in rsync.
   */
  private Map<String, String> environment() {
    boolean mayPrompt =
        settings.target().kind() == TargetUrl.Kind.DAEMON
            && settings.passwordFile() == null
            && System.getenv("RSYNC_PASSWORD") == null;
    return mayPrompt ? Map.of("RSYNC_PASSWORD", "") : Map.of();
  }

  private static Delivery failed(String detail) {
    return new Delivery(Verdict.FAILED, detail, 0, 0, List.of());
  }

  /**
   * Removes the daemon password from a message. rsync does not print it, but a message quoting a
   * misconfigured argument or file could; a secret must never reach the log.
   */
  private String scrub(String detail) {
    Path file = settings.passwordFile();
    if (file == null) {
      return detail;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      String out = detail;
      for (String line : lines) {
        String secret = line.strip();
        if (secret.length() >= 4) {
          String shown =
              new String(secret.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
          out = out.replace(secret, "***").replace(shown, "***");
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return detail;
    }
  }

  @Override
  public String toString() {
    return "rsync to " + settings.target();
  }
}
