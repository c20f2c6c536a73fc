// Starts moto (the AWS emulator) in server mode with mfa-bot's extensions (server.py):
// a root user, controlled user dates, failure injection, credential report readiness and a
// call counter. One server per call; servers on different ports are fully independent.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface RootState {
  accountId?: string;
  partition?: 'aws' | 'aws-us-gov' | 'aws-cn';
  /** false with the other credentials false: centralized root access (no root credentials). */
  exists?: boolean;
  passwordPresent?: boolean;
  accessKeysPresent?: boolean;
  /** One signing certificate (GetAccountSummary's AccountSigningCertificatesPresent, the report's cert_1). */
  signingCertificatesPresent?: boolean;
  mfaActive?: boolean;
  /** The kind of an active device that is not virtual (default hardware), as a root-task session lists it. */
  mfaKind?: 'hardware' | 'passkey';
  virtualMfaSerial?: string | null;
  /** The root row's user_creation_time (default: server start or last reset). */
  createDate?: Date;
  /** The root row's password_last_used (default: no_information). */
  passwordLastUsed?: Date | null;
}

export interface UserDates {
  createDate?: Date;
  passwordLastChanged?: Date;
  passwordLastUsed?: Date;
}

export interface FailureOptions {
  /** How many requests fail (default 1). Every HTTP attempt counts, SDK retries included. */
  count?: number;
  code: string;
  /** Default: 403 for AccessDenied, 500 for ServiceFailure/InternalFailure, else 400. */
  status?: number;
  message?: string;
  /** Only requests to this signing service (iam, sts, organizations...); default any. */
  service?: string;
  /** Only requests signed with credentials of this account (as moto maps access keys to accounts); default any. */
  accountId?: string;
}

export interface ReportOptions {
  inProgressPolls?: number;
  notPresent?: boolean;
  expired?: boolean;
  /** Pretend the current report was generated at this time (GeneratedTime). */
  generatedTime?: Date;
}

export interface MotoServer {
  endpoint: string;
  port: number;
  env: Record<string, string>;
  reset(): Promise<void>;
  setRoot(state: RootState): Promise<void>;
  setUserDates(accountId: string, userName: string, dates: UserDates): Promise<void>;
  failNext(action: string, opts: FailureOptions): Promise<void>;
  clearFailures(): Promise<void>;
  setReport(accountId: string, opts: ReportOptions): Promise<void>;
  /**
   * Stamps credential reports generated from now on, and access key uses (access_key_N_last_used_date), with this time
   * (the test's clock); undefined: real time. Cleared by reset().
   */
  setClock(now: Date | undefined): Promise<void>;
  calls(): Promise<Record<string, Record<string, number>>>;
  /**
   * Creates `count` users named `<prefix>00000…` directly in the backend; the first consoleShare have a password, and
   * the first mfaShare of those a virtual MFA device. Tag values may contain `{name}`.
   */
  seedUsers(opts: SeedOptions): Promise<{ users: number; console: number; mfa: number }>;
  resetCalls(): Promise<void>;
  /**
   * moto's own IAM enforcement (POST /moto-api/reset-auth): while on, every request must be signed with an access
   * key of an IAM user moto knows and is allowed or refused (AccessDenied) by that user's policies. Off by default.
   */
  enforceIamPolicies(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface SeedOptions {
  accountId?: string;
  count: number;
  prefix?: string;
  consoleShare?: number;
  mfaShare?: number;
  tags?: Record<string, string>;
}

export interface StartOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** How long to wait for GET /moto-api/ (default 30 s). */
  startTimeoutMs?: number;
}

const SERVER_PY = fileURLToPath(new URL('./server.py', import.meta.url));
const INSTALL_HINT = "Install moto's server mode with: pip install 'moto[server]'";
const STOP_GRACE_MS = 3_000;
const STDERR_TAIL = 4_000;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous last resort; server.py also exits when its stdin (our pipe) closes.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) {
    live.delete(child);
    return;
  }
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await gone;
  clearTimeout(timer);
  live.delete(child);
}

class StartError extends Error {
  constructor(
    message: string,
    readonly portInUse = false,
  ) {
    super(message);
    this.name = 'MotoStartError';
  }
}

async function launch(port: number, timeoutMs: number): Promise<ChildProcess> {
  const python = process.env.MOTO_PYTHON ?? 'python3';
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(
    python,
    [SERVER_PY, '--host', '127.0.0.1', '--port', String(port), '--exit-with-stdin'],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } },
  );
  live.add(child);
  killAllOnExit();
  // A server nobody stopped must not keep Node alive; the exit hook and the stdin pipe end it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as net.Socket | null)?.unref();

  let stderr = '';
  const keepTail = (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  };
  // Always drain both pipes: a full pipe would block the server.
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });

  const fail = async (why: string): Promise<never> => {
    await stopChild(child);
    const code = (spawnError as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') {
      throw new StartError(`Cannot start moto: ${python} was not found (set ` +
        `MOTO_PYTHON to another interpreter). ${INSTALL_HINT}`);
    }
    if (child.exitCode === 3 || /No module named|cannot import moto/.test(stderr)) {
      throw new StartError(`Cannot start moto: ${python} cannot import moto's server ` +
        `mode. ${INSTALL_HINT}\n--- stderr ---\n${stderr.trim()}`);
    }
    throw new StartError(
      `moto did not start on ${endpoint}: ${why}\n--- stderr (tail) ---\n${stderr.trim()}`,
      /address already in use/i.test(stderr),
    );
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError || exited(child)) return fail(`the process exited (code ${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) return fail(`no answer from GET /moto-api/ within ${timeoutMs} ms`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
}

export async function startMoto(opts: StartOptions = {}): Promise<MotoServer> {
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  let port = opts.port ?? (await freePort());
  let running: ChildProcess;
  // A free port can be taken between probing and binding (parallel workers): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      running = await launch(port, timeoutMs);
      break;
    } catch (err) {
      if (!(err instanceof StartError && err.portInUse && !opts.port && attempt < 3)) throw err;
      port = await freePort();
    }
  }
  const endpoint = `http://127.0.0.1:${port}`;

  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(endpoint + path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`moto control ${method} ${path} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : date);

  return {
    endpoint,
    port,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
    },
    async setRoot(state) {
      await request('POST', '/_mfa_bot/root', {
        ...state,
        createDate: iso(state.createDate),
        passwordLastUsed: iso(state.passwordLastUsed),
      });
    },
    async setUserDates(accountId, userName, dates) {
      await request('POST', '/_mfa_bot/user-dates', {
        accountId,
        userName,
        createDate: iso(dates.createDate),
        passwordLastChanged: iso(dates.passwordLastChanged),
        passwordLastUsed: iso(dates.passwordLastUsed),
      });
    },
    async failNext(action, opts) {
      await request('POST', '/_mfa_bot/fail', { action, ...opts });
    },
    async clearFailures() {
      await request('POST', '/_mfa_bot/fail', { clear: true });
    },
    async setReport(accountId, opts) {
      await request('POST', '/_mfa_bot/report', { accountId, ...opts, generatedTime: iso(opts.generatedTime) });
    },
    async setClock(now) {
      await request('POST', '/_mfa_bot/clock', now ? { now: iso(now) } : {});
    },
    async calls() {
      return (await request('GET', '/_mfa_bot/calls')) as Record<string, Record<string, number>>;
    },
    async seedUsers(opts) {
      return (await request('POST', '/_mfa_bot/seed-users', opts)) as { users: number; console: number; mfa: number };
    },
    async resetCalls() {
      await request('POST', '/_mfa_bot/calls/reset');
    },
    async enforceIamPolicies(on) {
      const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf' });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`moto reset-auth answered ${res.status}`);
    },
    stop: () => stopChild(running),
  };
}
