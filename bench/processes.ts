// Processes of the bench: the measured servers (pinned to core 0) and the load generator (core 1),
// started on loopback. Used by bench/run.ts and by tests/bench.test.ts (which keeps the harness honest).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GenCommand } from "./generator";
import type { ServerKind } from "./wire";

export const ROOT = path.resolve(__dirname, "..");
export const canPin = os.cpus().length >= 2 && existsSync("/usr/bin/taskset");
export const SERVER_CORE = 0;
export const GEN_CORE = 1;

// ---------------------------------------------------------------------------------------------
// Processes

/** Pids of a process and all its descendants (for a PostgreSQL postmaster: its backends too). */
function treeOf(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const p = all[i] as number;
    try {
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/);
      for (const k of kids) if (k) all.push(Number(k));
    } catch {
      // exited meanwhile
    }
  }
  return all;
}

/** Pins a process, its threads and its current children to one core (children forked later inherit it). */
export function pinTree(pid: number, core: number): void {
  if (!canPin) return;
  for (const p of treeOf(pid)) {
    try {
      execFileSync("taskset", ["-a", "-p", "-c", String(core), String(p)], { stdio: "ignore" });
    } catch {
      // the process may have exited meanwhile
    }
  }
}

/** Node flags for every measured server: a full GC on SIGUSR2 (bench/gc-on-signal.cjs). */
export const GC_ARGS = ["--expose-gc", "--require", path.join(ROOT, "bench", "gc-on-signal.cjs")];

/** RSS after a full garbage collection in the server. */
export async function settledRss(pid: number): Promise<number> {
  process.kill(pid, "SIGUSR2");
  await new Promise((r) => setTimeout(r, 1_000));
  return rssOf(pid);
}

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

const TICK_S = 0.01; // USER_HZ is 100 on Linux

/** CPU seconds used so far by a process tree (exited children are counted by their waiting parent). */
export function cpuSecondsOf(pid: number): number {
  let ticks = 0;
  for (const p of treeOf(pid)) {
    try {
      // fields after the ")" of comm: utime is the 12th, stime 13th, cutime 14th, cstime 15th
      const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * TICK_S;
}

export interface ServerSample {
  eventLoopP99Ms: number;
  /** Beacon: messages stored and insert statements run so far (their ratio is the group-commit batch). */
  inserts?: { messages: number; statements: number };
  /** Beacon: cumulative counts of message:send acks by upper bound in seconds (prom-client buckets). */
  ackBuckets?: Map<number, number>;
}

export interface BenchServer {
  kind: ServerKind;
  url: string;
  pid: number;
  /** Beacon's PostgreSQL postmaster (its CPU is reported apart from the server's). */
  dbPid?: number;
  /** Event-loop delay p99 (ms) since the previous call, and (Beacon) messages and insert statements so far. */
  sample(): Promise<ServerSample>;
  stop(): Promise<void>;
}

export async function startBare(kind: "raw" | "socketio"): Promise<BenchServer> {
  const file = path.join(ROOT, "bench", "servers", kind === "raw" ? "raw-ws.ts" : "socketio.ts");
  const proc = spawn(process.execPath, [...GC_ARGS, "--import", "tsx", file], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.once("exit", () => proc.kill("SIGKILL"));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      const m = /ready on port (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    proc.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  const pid = proc.pid as number;
  pinTree(pid, SERVER_CORE);
  const url = `http://127.0.0.1:${port}`;
  return {
    kind,
    url,
    pid,
    async sample() {
      const s = (await (await fetch(`${url}/stats`)).json()) as { eventLoopP99Ms: number };
      return { eventLoopP99Ms: s.eventLoopP99Ms };
    },
    async stop() {
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      });
    },
  };
}

export interface Generator {
  send<T>(cmd: GenCommand): Promise<T>;
  stop(): void;
}

export function startGenerator(): Generator {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "bench", "generator.ts")],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  process.once("exit", () => proc.kill("SIGKILL"));
  pinTree(proc.pid as number, GEN_CORE);
  let dead: Error | undefined;
  proc.once("exit", (code) => {
    dead = new Error(`the load generator exited (${code})`);
    proc.emit("message", { ok: false, error: dead.message });
  });
  let queue = Promise.resolve();
  return {
    send<T>(cmd: GenCommand): Promise<T> {
      const p = queue.then(
        () =>
          new Promise<T>((resolve, reject) => {
            if (dead) return reject(dead);
            proc.once("message", (r: { ok: boolean; data?: T; error?: string }) =>
              r.ok ? resolve(r.data as T) : reject(new Error(r.error)),
            );
            proc.send(cmd);
          }),
      );
      queue = p.then(
        () => {},
        () => {},
      );
      return p;
    },
    stop() {
      proc.kill("SIGTERM");
    },
  };
}
