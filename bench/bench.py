#!/usr/bin/env python3
"""Side-by-side replication benchmark: watchsync against lsyncd (and the classic inotifywait
script), same machine, same workloads, same target: a loopback rsync daemon with auth, or with
--transport ssh a throwaway OpenSSH server on 127.0.0.1 (lsyncd then runs default.rsyncssh).

For each workload and competitor it starts from an empty source and replica, waits until the
competitor has finished its start-up sync, runs the workload, then measures:
  converge  seconds from the last write until the replica equals the source
  files/s   files written / (first write .. convergence)
  p50, p99  per-file arrival latency: replica arrival (inotify on the replica) - source close
and checks the replica byte for byte (names, types, sizes, modes, symlink targets, content).
Only the Python standard library is used (inotify through ctypes)."""

import argparse, ctypes, ctypes.util, hashlib, os, random, shutil, signal, socket, struct
import subprocess, sys, tempfile, threading, time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
USER = "wsbench"
DEADLINE = float(os.environ.get("BENCH_DEADLINE", "120"))

# ---------------------------------------------------------------- rsync daemon

class Daemon:
    kind = "daemon"

    def __init__(self, work):
        self.work = work
        self.replica = os.path.join(work, "replica")
        os.makedirs(self.replica)
        password = hashlib.sha256(os.urandom(16)).hexdigest()[:20]
        self.password_file = os.path.join(work, "client.password")
        secrets = os.path.join(work, "rsyncd.secrets")
        for path, text in ((self.password_file, password), (secrets, f"{USER}:{password}")):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                f.write(text + "\n")
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        conf = os.path.join(work, "rsyncd.conf")
        owner = "uid = root\ngid = root\n" if os.getuid() == 0 else ""
        self.log = os.path.join(work, "rsyncd.log")
        with open(conf, "w") as f:
            f.write(f"pid file = {work}/rsyncd.pid\nlog file = {self.log}\nuse chroot = no\nmunge symlinks = no\n{owner}max connections = 64\n"
                    f"[replica]\n  path = {self.replica}\n  read only = no\n"
                    f"  auth users = {USER}\n  secrets file = {secrets}\n")
        self.conf = conf
        self.start()
        self.url = f"rsync://{USER}@127.0.0.1:{self.port}/replica"

    def start(self):
        self.proc = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={self.conf}",
                                      "--address=127.0.0.1", f"--port={self.port}"])
        wait_for(lambda: port_open(self.port), 10, "rsync daemon to listen")

    def clear(self):
        clear_dir(self.replica)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        try:
            os.unlink(os.path.join(self.work, "rsyncd.pid"))
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------- ssh server

class SshTarget:
    """A throwaway OpenSSH server on 127.0.0.1, logged in to as root with its own key, and the
    replica directory the competitors write into over ssh."""
    kind = "ssh"

    def __init__(self, work):
        os.makedirs(work)
        self.replica = os.path.join(work, "replica")
        os.makedirs(self.replica)
        host_key, self.key = os.path.join(work, "host_key"), os.path.join(work, "client_key")
        for key in (host_key, self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key], check=True)
        shutil.copy(self.key + ".pub", os.path.join(work, "authorized_keys"))
        os.makedirs("/run/sshd", exist_ok=True)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        conf = os.path.join(work, "sshd_config")
        with open(conf, "w") as f:
            f.write(f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
                    f"AuthorizedKeysFile {work}/authorized_keys\nPidFile none\n"
                    "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
                    "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nMaxStartups 100\n")
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-f", conf, "-E", os.path.join(work, "sshd.log")])
        wait_for(lambda: port_open(self.port), 10, "sshd to listen")
        self.host = "root@127.0.0.1"
        self.url = f"{self.host}:{self.replica}"
        self.ssh_options = {"BatchMode": "yes", "StrictHostKeyChecking": "no",
                            "UserKnownHostsFile": "/dev/null", "LogLevel": "ERROR"}
        self.ssh_cmd = f"ssh -p {self.port} -i {self.key} " + " ".join(
            f"-o {k}={v}" for k, v in self.ssh_options.items())

    def clear(self):
        clear_dir(self.replica)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def clear_dir(path):
    for name in os.listdir(path):
        p = os.path.join(path, name)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


def wait_for(cond, timeout, what):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise RuntimeError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)

# ---------------------------------------------------------------- replica observer (inotify)

IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE, IN_ISDIR, IN_Q_OVERFLOW = 0x8, 0x80, 0x100, 0x40000000, 0x4000
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


class Observer(threading.Thread):
    """Records when each regular file's final name first appears in the replica."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.arrived = {}
        self.fd = libc.inotify_init1(os.O_NONBLOCK)
        self.wds = {}
        self.stopping = False
        self.overflowed = False
        self.add_tree(root)

    def add_tree(self, path):
        wd = libc.inotify_add_watch(self.fd, os.fsencode(path), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        if wd < 0:
            return
        self.wds[wd] = path
        now = time.time()
        try:
            entries = list(os.scandir(path))
        except FileNotFoundError:
            return
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                self.add_tree(e.path)
            elif not e.name.startswith("."):
                self.arrived.setdefault(os.path.relpath(e.path, self.root), now)

    def run(self):
        import select
        buf = bytearray(1 << 20)
        while not self.stopping:
            select.select([self.fd], [], [], 0.2)
            try:
                n = os.readv(self.fd, [buf])
            except BlockingIOError:
                continue
            now = time.time()
            pos = 0
            while pos < n:
                wd, mask, cookie, length = struct.unpack_from("iIII", buf, pos)
                name = bytes(buf[pos + 16: pos + 16 + length]).rstrip(b"\0")
                pos += 16 + length
                if mask & IN_Q_OVERFLOW:
                    self.overflowed = True
                    continue
                base = self.wds.get(wd)
                if base is None:
                    continue
                path = os.path.join(base, os.fsdecode(name))
                if mask & IN_ISDIR:
                    if mask & (IN_CREATE | IN_MOVED_TO):
                        self.add_tree(path)
                elif mask & (IN_MOVED_TO | IN_CLOSE_WRITE) and not os.fsdecode(name).startswith("."):
                    self.arrived.setdefault(os.path.relpath(path, self.root), now)

    def stop(self):
        self.stopping = True
        self.join(2)
        os.close(self.fd)

# ---------------------------------------------------------------- tree comparison

def snapshot(root, deep):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            try:  # rsync's temporary files come and go while we look
                st = os.lstat(p)
                if os.path.islink(p):
                    out[rel] = ("l", os.readlink(p))
                elif os.path.isdir(p):
                    out[rel] = ("d", st.st_mode)
                else:
                    digest = None
                    if deep:
                        with open(p, "rb") as f:
                            digest = hashlib.sha256(f.read()).hexdigest()
                    out[rel] = ("f", st.st_mode, st.st_size, int(st.st_mtime), digest)
            except FileNotFoundError:
                continue
    return out


def differences(a, b):
    keys = set(a) | set(b)
    return sorted(k for k in keys if a.get(k) != b.get(k))

# ---------------------------------------------------------------- workloads

class Writer:
    def __init__(self, src):
        self.src = src
        self.written = {}
        self.rewritten = set()
        self.first = None
        self.last = None
        self.data = os.urandom(1 << 16)

    def write(self, rel, size=4096):
        p = os.path.join(self.src, rel)
        now = time.time()
        if self.first is None:
            self.first = now
        if rel in self.written:
            self.rewritten.add(rel)
        with open(p, "wb") as f:
            f.write(self.data[:size])
        self.last = self.written[rel] = time.time()


def burst(w):
    for d in range(100):
        os.makedirs(os.path.join(w.src, f"d{d:02}"), exist_ok=True)
    for i in range(10000):
        w.write(f"d{i % 100:02}/f{i:05}")


def steady(rate, seconds=10):
    def run(w):
        for d in range(20):
            os.makedirs(os.path.join(w.src, f"s{d:02}"), exist_ok=True)
        start = time.monotonic()
        for i in range(rate * seconds):
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            w.write(f"s{i % 20:02}/f{i:05}")
    return run


def mixed(w):
    rnd = random.Random(7)
    start = time.monotonic()
    i = 0
    live = []
    while time.monotonic() - start < 10:
        i += 1
        op = rnd.random()
        if op < 0.45 or len(live) < 20:
            d = f"m{rnd.randrange(10)}/n{rnd.randrange(5)}"
            os.makedirs(os.path.join(w.src, d), exist_ok=True)
            rel = f"{d}/f{i:06}"
            w.write(rel, rnd.choice((100, 4096, 20000)))
            live.append(rel)
        elif op < 0.6:
            w.write(rnd.choice(live), rnd.choice((200, 5000)))
        elif op < 0.7:
            rel = rnd.choice(live)
            with open(os.path.join(w.src, rel), "ab") as f:
                f.write(b"appended\n")
            w.last = time.time()
        elif op < 0.8:
            rel = live.pop(rnd.randrange(len(live)))
            new = rel + ".renamed"
            os.rename(os.path.join(w.src, rel), os.path.join(w.src, new))
            live.append(new)
            w.last = time.time()
        elif op < 0.87:
            rel = live.pop(rnd.randrange(len(live)))
            os.unlink(os.path.join(w.src, rel))
            w.last = time.time()
        elif op < 0.93:
            os.chmod(os.path.join(w.src, rnd.choice(live)), rnd.choice((0o600, 0o644, 0o755)))
            w.last = time.time()
        elif op < 0.97:
            a = f"m{rnd.randrange(10)}"
            b = f"m{rnd.randrange(10)}x{i}"
            if os.path.isdir(os.path.join(w.src, a)):
                os.rename(os.path.join(w.src, a), os.path.join(w.src, b))
                live = [l.replace(a + "/", b + "/", 1) if l.startswith(a + "/") else l for l in live]
                w.last = time.time()
        else:
            link = f"m{rnd.randrange(10)}-link{i}"
            os.symlink("target-" + str(i), os.path.join(w.src, link))
            w.last = time.time()
        if i % 20 == 0:
            time.sleep(0.01)


WORKLOADS = {
    "burst": ("10,000 x 4 KiB files in 100 directories, as fast as possible", burst),
    "steady20": ("20 files/s for 10 s", steady(20)),
    "steady200": ("200 files/s for 10 s", steady(200)),
    "steady1000": ("1,000 files/s for 10 s", steady(1000)),
    "mixed": ("10 s of creates, overwrites, appends, renames (files and directories), deletes, chmod, symlinks", mixed),
}

# ---------------------------------------------------------------- competitors

def shipped_java_opts():
    """WATCHSYNC_JAVA_OPTS as packaging/watchsync.sysconfig sets it: the benchmark runs the agent
    with the JVM options the package ships (BENCH_JAVA_OPTS overrides them)."""
    if "BENCH_JAVA_OPTS" in os.environ:
        return os.environ["BENCH_JAVA_OPTS"].split()
    out = subprocess.run(["sh", "-c", ". ./packaging/watchsync.sysconfig; printf %s \"$WATCHSYNC_JAVA_OPTS\""],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.split()


def watchsync_cmd(src, target, work, level, config_extra=""):
    """watchsync's command line: the quick form for a daemon, a configuration file for ssh (the
    quick form has no remote shell option)."""
    jar = os.path.join(ROOT, "agent", "target", "watchsync.jar")
    state = os.path.join(work, "state")
    if target.kind == "daemon" and not config_extra:
        where = ["--source", src, "--target", target.url, "--password-file", target.password_file]
    elif target.kind == "daemon":
        conf = os.path.join(work, "watchsync.yml")
        with open(conf, "w") as f:
            f.write(f"source: {src}\n{config_extra}targets:\n"
                    f"  - url: {target.url}\n    password_file: {target.password_file}\n")
        where = ["--config", conf]
    else:
        conf = os.path.join(work, "watchsync.yml")
        with open(conf, "w") as f:
            f.write(f"source: {src}\nstatus:\n  enabled: false\ntargets:\n"
                    f"  - url: {target.url}\n    ssh: \"{target.ssh_cmd}\"\n")
        where = ["--config", conf]
    return ["java", *shipped_java_opts(), "-jar", jar, "run", *where, "--state-dir", state, "--log-level", level]


def start_watchsync(src, target, work, log):
    cmd = watchsync_cmd(src, target, work, os.environ.get("BENCH_LOG_LEVEL", "warn"))
    return subprocess.Popen(cmd, stdout=log, stderr=log, start_new_session=True)


def start_lsyncd(src, target, work, log):
    conf = os.path.join(work, "lsyncd.conf")
    if target.kind == "daemon":
        sync = (f'default.rsync, source = "{src}", target = "{target.url}/", delay = 1,\n'
                f'  rsync = {{ archive = true, password_file = "{target.password_file}" }}')
    else:
        options = ", ".join(f'{k} = "{v}"' for k, v in target.ssh_options.items())
        sync = (f'default.rsyncssh, source = "{src}", host = "{target.host}", targetdir = "{target.replica}/",\n'
                f'  delay = 1, rsync = {{ archive = true }},\n'
                f'  ssh = {{ port = {target.port}, identityFile = "{target.key}", options = {{ {options} }} }}')
    with open(conf, "w") as f:
        f.write(f"""settings {{ nodaemon = true, statusFile = "{work}/lsyncd.status", insist = true }}
sync {{ {sync} }}
""")
    return subprocess.Popen(["lsyncd", conf], stdout=log, stderr=log, start_new_session=True)


def start_script(src, target, work, log):
    if target.kind == "daemon":
        how = f'--password-file="{target.password_file}"'
    else:
        how = f"-e '{target.ssh_cmd}'"
    script = (f'inotifywait -mrq -e close_write,create,delete,move,attrib --format "%w%f" "{src}" | '
              f'while read -r f; do rsync -a --delete {how} "{src}/" "{target.url}/"; done')
    return subprocess.Popen(["bash", "-c", script], stdout=log, stderr=log, start_new_session=True)


COMPETITORS = {"watchsync": start_watchsync, "lsyncd": start_lsyncd, "script": start_script}


def stop(proc):
    """Stops a competitor and everything it started (each runs in its own session): an rsync left
    running by one would otherwise eat the next workload's CPU."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def name_has_latency(workload):
    return workload is not mixed


def wait_started(name, proc, src, daemon, log):
    """Waits until the competitor has finished its start-up sync: a probe file reaches the replica
    and its deletion follows."""
    probe = os.path.join(src, "probe")
    touched = [0.0]

    def probe_arrived():
        if os.path.exists(os.path.join(daemon.replica, "probe")):
            return True
        # The script reacts to events only and may not be watching yet: write again now and then.
        if time.time() - touched[0] > 0.5:
            with open(probe, "w") as f:
                f.write("probe")
            touched[0] = time.time()
        return False

    wait_for(lambda: probe_arrived() or proc.poll() is not None, 60, f"{name} to start")
    if proc.poll() is not None:
        raise RuntimeError(f"{name} exited: see {log.name}")
    os.unlink(probe)
    wait_for(lambda: not os.path.exists(os.path.join(daemon.replica, "probe")), 60, f"{name} to settle")


def run_one(name, workload, daemon, base):
    work = tempfile.mkdtemp(prefix=f"{name}-", dir=base)
    src = os.path.join(work, "source")
    os.makedirs(src)
    daemon.clear()
    log = open(os.path.join(work, "competitor.log"), "w")
    proc = COMPETITORS[name](src, daemon, work, log)
    try:
        wait_started(name, proc, src, daemon, log)
        observer = Observer(daemon.replica)
        observer.start()
        w = Writer(src)
        workload(w)
        last = w.last
        source = snapshot(src, False)
        end = last + DEADLINE
        converged = None
        while time.time() < end:
            if not differences(source, snapshot(daemon.replica, False)):
                converged = time.time()
                break
            time.sleep(0.05)
        observer.stop()
        identical = converged is not None and not differences(snapshot(src, True), snapshot(daemon.replica, True))
        # Arrival of files written once (a rewritten file's first version may arrive before its
        # last write, which says nothing about latency).
        lat = [observer.arrived[r] - t for r, t in w.written.items()
               if r in observer.arrived and r not in w.rewritten and os.path.exists(os.path.join(src, r))]
        files = len(w.written)
        return {
            "converge": (converged - last) if converged else None,
            "rate": files / (converged - w.first) if converged else None,
            # In the mixed run a file can reach the replica before its last write (a new directory
            # is sent as found), so per-file latency means nothing there.
            "p50": percentile(lat, 50) * 1000 if name_has_latency(workload) else None,
            "p99": percentile(lat, 99) * 1000 if name_has_latency(workload) else None,
            "identical": identical, "files": files,
            "missing": None if converged else len(differences(source, snapshot(daemon.replica, False))),
            "sample": None if converged else [(k, source.get(k), snapshot(daemon.replica, False).get(k))
                                              for k in differences(source, snapshot(daemon.replica, False))[:4]],
        }
    finally:
        stop(proc)
        log.close()


def proc_status(pid, field):
    """A /proc/PID/status field in MB (VmRSS, VmHWM), 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(pid, timeout, what):
    """Waits until the process uses less than 5 % of a core over 2 s: it has read its events."""
    end = time.monotonic() + timeout
    last = cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(2)
        now = cpu_seconds(pid)
        if now - last < 0.1:
            return
        last = now
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


def scale_tree(dirs, files):
    """A tree of `dirs` directories below its root (1,000 top-level ones, the rest spread evenly
    below them) and `files` empty files spread over them, generated once under /var/tmp."""
    tree = f"/var/tmp/watchsync-bench-scale-{dirs}-{files}"
    if os.path.exists(os.path.join(tree, ".complete")):
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    top = min(1000, dirs)
    below = (dirs - top) // top
    all_dirs = []
    for i in range(top):
        d = os.path.join(tree, f"d{i:03}")
        os.makedirs(d)
        all_dirs.append(d)
        for j in range(below):
            sub = os.path.join(d, f"s{j:03}")
            os.mkdir(sub)
            all_dirs.append(sub)
    for k in range(files):
        open(os.path.join(all_dirs[k % len(all_dirs)], f"f{k}"), "w").close()
    open(os.path.join(tree, ".complete"), "w").close()
    return tree


def check_watch_limit(dirs):
    with open("/proc/sys/fs/inotify/max_user_watches") as f:
        limit = int(f.read())
    if limit < dirs * 2 + 1000:  # both tools run one after the other, the kernel frees lazily
        sys.exit(f"bench: fs.inotify.max_user_watches is {limit}; a tree of {dirs:,} directories needs"
                 f" more: sysctl -w fs.inotify.max_user_watches={dirs * 2 + 100000}")


def scale(name, daemon, base, dirs, files):
    tree = scale_tree(dirs, files)
    daemon.clear()
    # Both tools start with the tree's directories in the kernel's caches: the first to run would
    # otherwise read them from disk (other work may have pushed them out) and the second not.
    tree_count(tree)
    work = tempfile.mkdtemp(prefix=f"scale-{name}-", dir=base)
    log_path = os.path.join(work, "competitor.log")
    log = open(log_path, "w")
    t0 = time.time()
    if name == "watchsync":
        proc = subprocess.Popen(watchsync_cmd(tree, daemon, work, "info"), stdout=log, stderr=log,
                                start_new_session=True)
        ready = lambda: "watching " in open(log_path).read()
    else:
        proc = start_lsyncd(tree, daemon, work, log)
        ready = lambda: os.path.exists(os.path.join(work, "lsyncd.status"))
    try:
        wait_for(lambda: ready() or proc.poll() is not None, 600, f"{name} to watch the tree")
        watched = time.time() - t0
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: see {log_path}")
        # The peak once the start-up (and its full sync's file list) is over.
        wait_until_quiet(proc.pid, 600, f"{name} to finish its start-up")
        return {"watch": watched, "rss": proc_status(proc.pid, "VmHWM"),
                "rss_now": proc_status(proc.pid, "VmRSS")}
    finally:
        stop(proc)
        log.close()


def tree_count(root):
    """Entries below root (files and directories), with find: faster than Python on a big tree."""
    out = subprocess.run(["find", root, "-mindepth", "1", "-printf", "."], capture_output=True)
    return len(out.stdout)


def outage(daemon, base, files):
    """watchsync with its target down while `files` files are written (1,000 per directory), then
    the target back: RSS before, at the full backlog, its peak while catching up and after, the
    catch-up time, and one plain full rsync of the same tree for comparison."""
    work = tempfile.mkdtemp(prefix="outage-", dir=base)
    src = os.path.join(work, "source")
    os.makedirs(src)
    daemon.clear()
    status_port = free_port()
    extra = f"status:\n  enabled: true\n  address: 127.0.0.1\n  port: {status_port}\n"
    log_path = os.path.join(work, "competitor.log")
    log = open(log_path, "w")
    proc = subprocess.Popen(watchsync_cmd(src, daemon, work, "info", extra), stdout=log, stderr=log,
                            start_new_session=True)
    try:
        wait_started("watchsync", proc, src, daemon, log)
        daemon.stop()
        rss_idle = proc_status(proc.pid, "VmRSS")
        print(f"bench: outage: target down, writing {files:,} files ...", file=sys.stderr, flush=True)
        data = b"x" * 100
        t0 = time.time()
        for k in range(files):
            if k % 1000 == 0:
                d = os.path.join(src, f"o{k // 1000:05}")
                os.mkdir(d)
            with open(os.path.join(d, f"f{k % 1000:03}"), "wb") as f:
                f.write(data)
        written = time.time() - t0
        wait_until_quiet(proc.pid, 1800, "watchsync to read every event")
        pending = agent_pending(status_port)
        rss_backlog = proc_status(proc.pid, "VmRSS")
        hwm_backlog = proc_status(proc.pid, "VmHWM")
        expected = tree_count(src)
        log_size = os.path.getsize(daemon.log) if os.path.exists(daemon.log) else 0
        print(f"bench: outage: {pending} paths pending, RSS {rss_backlog:.0f} MB; target back ...",
              file=sys.stderr, flush=True)
        daemon.start()
        back = time.time()
        first_contact = [None]

        def contacted():
            # The daemon logs its own start too: the agent's retry is its first "connect from".
            if first_contact[0] is None:
                with open(daemon.log, "rb") as f:
                    f.seek(log_size)
                    if b"connect from" in f.read():
                        first_contact[0] = time.time()
            return first_contact[0] is not None

        wait_for(contacted, 600, "watchsync to retry")
        wait_for(lambda: tree_count(daemon.replica) >= expected and agent_pending(status_port) == 0,
                 3600, "the replica to catch up")
        converged = time.time()
        same = not differences(snapshot(src, False), snapshot(daemon.replica, False))
        hwm = proc_status(proc.pid, "VmHWM")
        time.sleep(float(os.environ.get("BENCH_IDLE", "70")))  # past G1PeriodicGCInterval
        rss_after = proc_status(proc.pid, "VmRSS")
    finally:
        stop(proc)
        log.close()
    daemon.clear()
    t = time.time()
    subprocess.run(["rsync", "-a", "--delete", f"--password-file={daemon.password_file}",
                    src + "/", daemon.url + "/"], check=True)
    full_rsync = time.time() - t
    return {"files": files, "written": written, "pending": pending, "rss_idle": rss_idle,
            "rss_backlog": rss_backlog, "hwm_backlog": hwm_backlog, "hwm": hwm, "rss_after": rss_after,
            "retry_wait": first_contact[0] - back, "catch_up": converged - first_contact[0],
            "full_rsync": full_rsync, "identical": same}


def agent_pending(port):
    import json, urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10) as r:
        return json.load(r)["targets"][0]["pending"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    return f"{v:.2f}{unit}" if isinstance(v, float) else f"{v}{unit}"


def ratio(a, b):
    if a is None or b is None or b == 0 or a != a or b != b:
        return "-"
    return f"{a / b:.2f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="burst,steady200,steady1000,mixed,scale")
    ap.add_argument("--competitors", default="watchsync,lsyncd")
    ap.add_argument("--transport", choices=["daemon", "ssh"], default="daemon",
                    help="the target: a loopback rsync daemon, or a throwaway sshd on 127.0.0.1 (needs root)")
    ap.add_argument("--out", help="where the table goes (default: bench/results.md, results-ssh.md for ssh)")
    ap.add_argument("--scale-dirs", type=int, default=100000,
                    help="directories in the scale tree (default 100000; 1000000 needs max_user_watches raised)")
    ap.add_argument("--scale-files", type=int, default=0, help="empty files spread over the scale tree")
    ap.add_argument("--outage-files", type=int, default=1000000,
                    help="files written while the target is down in the outage workload (not in the default set)")
    args = ap.parse_args()
    if args.out is None:
        args.out = os.path.join(HERE, "results.md" if args.transport == "daemon" else "results-ssh.md")
    if args.transport == "ssh" and os.getuid() != 0:
        sys.exit("bench: --transport ssh needs root (sshd switches to the logged-in user)")
    only = args.only.split(",")
    competitors = args.competitors.split(",")
    if "scale" in only:
        check_watch_limit(args.scale_dirs)
    load = os.getloadavg()
    base = tempfile.mkdtemp(prefix="watchsync-bench.", dir="/var/tmp")
    daemon = (Daemon if args.transport == "daemon" else SshTarget)(os.path.join(base, "target"))
    rows = []
    try:
        for wl in [w for w in only if w in WORKLOADS]:
            results = {}
            for c in competitors:
                print(f"bench: {wl} with {c} ...", file=sys.stderr, flush=True)
                results[c] = run_one(c, WORKLOADS[wl][1], daemon, base)
            rows.append((wl, results))
        scale_results = {}
        if "scale" in only:
            for c in competitors:
                if c != "script":
                    print(f"bench: scale ({args.scale_dirs:,} directories, {args.scale_files:,} files)"
                          f" with {c} ...", file=sys.stderr, flush=True)
                    scale_results[c] = scale(c, daemon, base, args.scale_dirs, args.scale_files)
        outage_result = None
        if "outage" in only and "watchsync" in competitors and daemon.kind == "daemon":
            outage_result = outage(daemon, base, args.outage_files)
    finally:
        daemon.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(base, ignore_errors=True)
    scale_label = f"{args.scale_dirs:,} directories" + (f" + {args.scale_files:,} files" if args.scale_files else "")
    report(rows, scale_results, scale_label, outage_result, competitors, args.out, daemon, load)


def report(rows, scale_results, scale_label, outage_result, competitors, out, target, load):
    ref = "lsyncd" if "lsyncd" in competitors else competitors[-1]
    lines = []
    uname = os.uname()
    rsync_v = subprocess.run(["rsync", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    lsyncd_v = subprocess.run(["lsyncd", "--version"], capture_output=True, text=True).stdout.strip()
    lines.append(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
                 f"Linux {uname.release}; {rsync_v}; lsyncd {lsyncd_v.replace('Version: ', '')} (delay 1 s).")
    if target.kind == "ssh":
        ssh_v = subprocess.run(["ssh", "-V"], capture_output=True, text=True).stderr.strip().split(",")[0]
        lines.append(f"Target: a throwaway sshd on 127.0.0.1 ({ssh_v}); lsyncd runs default.rsyncssh.")
    else:
        lines.append("Target: an rsync daemon on 127.0.0.1 with a user and a secrets file.")
    lines.append(f"Command: `bench/run.sh {' '.join(sys.argv[1:])}`; watchsync's JVM options: "
                 f"`{' '.join(shipped_java_opts()) or '(none)'}`; load average before the run: "
                 f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.")
    lines.append("")
    if rows:
        lines.append("| workload | tool | converged after last write (s) | files/s | p50 latency (ms) | p99 latency (ms) | identical | ratio to " + ref + " (converge / p99) |")
        lines.append("|---|---|---|---|---|---|---|---|")
    for wl, results in rows:
        for c, r in results.items():
            conv = fmt(r["converge"]) if r["converge"] is not None else f"not after {DEADLINE:.0f} s ({r['missing']} paths differ)"
            lines.append(f"| {wl} | {c} | {conv} | {fmt(r['rate'])} | {fmt(r['p50'])} | {fmt(r['p99'])} | "
                         f"{fmt(r['identical'])} | {ratio(r['converge'], results.get(ref, {}).get('converge'))} / "
                         f"{ratio(r['p99'], results.get(ref, {}).get('p99'))} |")
    if scale_results:
        lines.append("")
        lines.append(f"| scale: {scale_label} | time until watching (s) | peak RSS, VmHWM (MB) | RSS after start-up (MB) | ratio to {ref} (time / peak RSS) |")
        lines.append("|---|---|---|---|---|")
        for c, r in scale_results.items():
            other = scale_results.get(ref, {})
            lines.append(f"| {c} | {r['watch']:.2f} | {r['rss']:.0f} | {r['rss_now']:.0f} | "
                         f"{ratio(r['watch'], other.get('watch'))} / {ratio(r['rss'], other.get('rss'))} |")
    if outage_result:
        o = outage_result
        lines.append("")
        lines.append(f"| outage: {o['files']:,} files written while the target is down | value |")
        lines.append("|---|---|")
        for label, value in (
                ("RSS before the outage (MB)", f"{o['rss_idle']:.0f}"),
                (f"written in (s)", f"{o['written']:.1f}"),
                ("paths pending once every event was read", f"{o['pending']:,}"),
                ("RSS at the full backlog (MB)", f"{o['rss_backlog']:.0f}"),
                ("peak RSS until then, VmHWM (MB)", f"{o['hwm_backlog']:.0f}"),
                ("peak RSS through the catch-up, VmHWM (MB)", f"{o['hwm']:.0f}"),
                ("RSS after the catch-up and some idle time (MB)", f"{o['rss_after']:.0f}"),
                ("target back until first retry (s, the retry backoff)", f"{o['retry_wait']:.1f}"),
                ("first retry until the replica equals the source (s)", f"{o['catch_up']:.1f}"),
                ("one plain `rsync -a` of the tree into an empty replica (s)", f"{o['full_rsync']:.1f}"),
                ("catch-up / full rsync", ratio(o['catch_up'], o['full_rsync'])),
                ("identical", fmt(o['identical']))):
            lines.append(f"| {label} | {value} |")
    text = "\n".join(lines) + "\n"
    print(text)
    for wl, results in rows:
        for c, r in results.items():
            if r.get("sample"):
                print(f"{wl}/{c}: first differences: {r['sample']}", file=sys.stderr)
    with open(out, "w") as f:
        how = "bench/run.sh" + (" --transport ssh" if target.kind == "ssh" else "")
        f.write(f"# Benchmark results\n\nProduced by `{how}`.\n\n" + text)


if __name__ == "__main__":
    main()
