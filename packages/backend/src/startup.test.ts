/*
 * Starts the example backend for real, as a child process (src/index.ts through Backstage's
 * TypeScript transform, as `yarn start` runs it, but with the NODE_ENV of each case), to prove
 * what a refused start looks like from the outside: the process ends with a non-zero exit code,
 * and /api/access/health never answers 200 in the meantime.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BACKEND_DIR = path.resolve(__dirname, '..');
const ROOT_DIR = path.resolve(BACKEND_DIR, '../..');
const DEMO_CONFIG = path.join(ROOT_DIR, 'app-config.yaml');
const START_TIMEOUT_MS = 120_000;

jest.setTimeout(2 * START_TIMEOUT_MS);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A config file of its own for one run, over app-config.yaml: its port, the audit chain key that
 * production requires (so that what refuses to start is what the case is about), and whatever
 * the case adds.
 */
function writeOverlay(dir: string, port: number, extra = ''): string {
  const file = path.join(dir, `overlay-${port}.yaml`);
  fs.writeFileSync(
    file,
    `app:
  baseUrl: http://localhost:${port + 1}
backend:
  baseUrl: http://localhost:${port}
  listen:
    port: ${port}
access:
  audit:
    chainKey: a-test-chain-key-of-at-least-32-characters
${extra}`,
  );
  return file;
}

interface Run {
  /** The exit code, or null when the process was still running at the end (and was stopped). */
  exitCode: number | null;
  /** Every status /api/access/health answered while the process ran. */
  healthStatuses: number[];
  log: string;
}

/**
 * Runs the backend until it exits or, with `stopWhenHealthy`, until its access health answers
 * 200; either way at most START_TIMEOUT_MS. Health is asked every 100 ms.
 */
async function runBackend(options: {
  nodeEnv: string | undefined;
  configs: string[];
  port: number;
  stopWhenHealthy?: boolean;
}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ESBK_TSCONFIG_PATH: path.join(ROOT_DIR, 'tsconfig.json'),
  };
  delete env.NODE_ENV;
  if (options.nodeEnv !== undefined) {
    env.NODE_ENV = options.nodeEnv;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      ...options.configs.flatMap(config => ['--config', config]),
    ],
    { cwd: BACKEND_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', chunk => {
    log += chunk;
  });
  child.stderr!.on('data', chunk => {
    log += chunk;
  });
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  let exitCode: number | null | undefined;
  exited.then(code => {
    exitCode = code;
  });

  const healthStatuses: number[] = [];
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (exitCode === undefined && Date.now() < deadline) {
    try {
      const res = await fetch(
        `http://localhost:${options.port}/api/access/health`,
        { signal: AbortSignal.timeout(2_000) },
      );
      healthStatuses.push(res.status);
      if (res.status === 200 && options.stopWhenHealthy) {
        break;
      }
    } catch {
      // Not listening yet, or already gone.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  if (exitCode === undefined) {
    child.kill('SIGKILL');
    await exited;
    return { exitCode: null, healthStatuses, log };
  }
  return { exitCode: exitCode ?? null, healthStatuses, log };
}

describe('the example backend, started for real', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-startup-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['production', 'production'],
    ['staging', 'staging'],
  ])(
    'exits non-zero with NODE_ENV=%s and the demo sign-in configured, and its health never answers 200',
    async (_label, nodeEnv) => {
      const port = await freePort();
      const run = await runBackend({
        nodeEnv,
        configs: [DEMO_CONFIG, writeOverlay(dir, port)],
        port,
      });

      expect(run.log).toContain(
        `Refusing to start the demo sign-in provider with NODE_ENV=${nodeEnv}`,
      );
      expect(run.exitCode).not.toBeNull(); // it ended by itself, within the timeout
      expect(run.exitCode).not.toBe(0);
      expect(run.healthStatuses).not.toContain(200);
    },
  );

  // A production config without the demo, whose only mistake is the missing credentials key.
  it('exits non-zero with NODE_ENV=production and no access.credentials.encryptionKey, and its health never answers 200', async () => {
    const port = await freePort();
    const config = path.join(dir, `production-${port}.yaml`);
    fs.writeFileSync(
      config,
      `app:
  baseUrl: http://localhost:${port}
backend:
  baseUrl: http://localhost:${port}
  listen:
    port: ${port}
  database:
    client: better-sqlite3
    connection: ':memory:'
auth:
  environment: production
  providers: {}
permission:
  enabled: true
access:
  audit:
    chainKey: a-test-chain-key-of-at-least-32-characters
`,
    );
    const run = await runBackend({
      nodeEnv: 'production',
      configs: [config],
      port,
    });

    expect(run.log).toContain(
      "access.credentials.encryptionKey: Required when NODE_ENV is 'production'",
    );
    expect(run.exitCode).not.toBeNull();
    expect(run.exitCode).not.toBe(0);
    expect(run.healthStatuses).not.toContain(200);
  });

  // The control: the same backend and config, with the demo explicitly allowed, does start and
  // answer, so the runs above would have seen it.
  it('starts with NODE_ENV=production when the config explicitly allows the demo sign-in', async () => {
    const port = await freePort();
    const run = await runBackend({
      nodeEnv: 'production',
      configs: [
        DEMO_CONFIG,
        writeOverlay(
          dir,
          port,
          `auth:
  providers:
    demo:
      dangerouslyAllowOutsideDevelopment: true
`,
        ),
      ],
      port,
      stopWhenHealthy: true,
    });

    expect(run.healthStatuses).toContain(200);
    expect(run.exitCode).toBeNull(); // still running until the test stopped it
  });
});
