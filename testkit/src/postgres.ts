/**
 * A throwaway Postgres server for tests: its own cluster in a temporary directory, listening on 127.0.0.1 and a
 * free port, stopped and deleted afterwards. Suites run against it as well as against PGlite, so both stores are
 * checked with the same behaviour.
 *
 * Without Postgres binaries the server variant is skipped, except under CI (`CI` set), where their absence fails.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../scripts/ports.ts";

const run = promisify(execFile);

const POSTGRES_ROOT = "/usr/lib/postgresql";
/** The OS user a cluster runs as when tests run as root (Postgres refuses to run as root). */
const POSTGRES_USER = "postgres";

export interface PostgresServer {
  /** `postgres://...` URL of the test database. */
  databaseUrl: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** The newest installed Postgres `bin` directory holding `initdb` and `pg_ctl`, or null. */
export function findPostgresBinaries(): string | null {
  if (!existsSync(POSTGRES_ROOT)) return null;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(POSTGRES_ROOT, version, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return null;
}

/**
 * Whether suites should register their Postgres server variant: true when the binaries exist; throws under CI
 * when they do not, so a missing server never silently narrows CI's coverage.
 */
export function postgresAvailable(): boolean {
  if (findPostgresBinaries() !== null) return true;
  if (process.env.CI !== undefined && process.env.CI !== "") {
    throw new Error(`CI is set but no Postgres server binaries (initdb, pg_ctl) were found under ${POSTGRES_ROOT}`);
  }
  return false;
}

/** Runs a Postgres binary, as the `postgres` user when this process is root. */
async function runBinary(bin: string, program: string, args: string[]): Promise<void> {
  const path = join(bin, program);
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", POSTGRES_USER, "--", path, ...args]] : [path, args];
  try {
    await run(command, argv, { cwd: tmpdir() });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${program} ${args.join(" ")} failed: ${stderr || stdout || (error as Error).message}`);
  }
}

/** Initialises, starts and returns a fresh cluster with a database `realdid`. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinaries();
  if (bin === null) throw new Error(`no Postgres server binaries under ${POSTGRES_ROOT}`);
  const root = mkdtempSync(join(tmpdir(), "realdid-pg-"));
  const dataDir = join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The postgres user needs to enter the directory; the data directory itself is created by initdb.
    chmodSync(root, 0o777);
  }
  const port = await freePort();
  const user = asRoot ? POSTGRES_USER : (process.env.USER ?? "postgres");
  await runBinary(bin, "initdb", ["-D", dataDir, "-U", user, "--auth=trust", "--encoding=UTF8", "--no-sync"]);
  const options = `-h 127.0.0.1 -p ${port} -k ${root} -c fsync=off -c full_page_writes=off`;
  await runBinary(bin, "pg_ctl", ["-D", dataDir, "-o", options, "-l", join(root, "server.log"), "-w", "start"]);
  const stop = async () => {
    try {
      await runBinary(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    await runBinary(bin, "createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", user, "realdid"]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl: `postgres://${user}@127.0.0.1:${port}/realdid`, stop };
}
