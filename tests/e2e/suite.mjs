// Starts the real jalin suite for the dashboard's end-to-end test: a
// private redis-server and every service binary on free loopback ports,
// each with its own SQLite store in a fresh temporary directory, the
// gateway serving the built dashboard. Readiness and tokens come from the
// project's own jalinctl (`health --wait`, `token`).
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SERVICES = ['registry', 'matching', 'curation', 'notification', 'gateway'];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class Suite {
  // binaryDir: the build directory; sourceDir: the repository (data/);
  // webDir: the built dashboard.
  constructor({ binaryDir, sourceDir, webDir }) {
    Object.assign(this, { binaryDir, sourceDir, webDir });
    this.children = [];
    this.ports = {};
  }

  jalinctl(args) {
    return run(join(this.binaryDir, 'tools/jalinctl/jalinctl'), args,
               { env: { ...process.env, JALIN_JWT_HS256_SECRET_FILE: this.secretFile } });
  }

  spawnLogged(name, argv, env) {
    const log = openSync(join(this.dir, `${name}.log`), 'a');
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', log, log] });
    // A binary that cannot start shows up as a failed readiness wait.
    child.on('error', (e) => console.error(`${name}: ${e.message}`));
    this.children.push({ name, child });
    return child;
  }

  async start() {
    this.dir = await mkdtemp(join(tmpdir(), 'jalin-e2e-'));
    this.secretFile = join(this.dir, 'jwt-secret');
    await writeFile(this.secretFile, randomBytes(36).toString('base64url') + '\n', { mode: 0o600 });

    const redisPort = await freePort();
    this.spawnLogged('redis', ['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1',
                               '--save', '', '--appendonly', 'no', '--dir', this.dir], process.env);
    for (const s of SERVICES) this.ports[s] = { grpc: await freePort(), metrics: await freePort() };
    this.httpPort = await freePort();

    const base = {
      ...process.env,
      JALIN_REDIS: `127.0.0.1:${redisPort}`,
      JALIN_JWT_HS256_SECRET_FILE: this.secretFile,
      JALIN_DATA_DIR: join(this.sourceDir, 'data'),
      JALIN_LOG_LEVEL: 'info',
    };
    for (const s of SERVICES) base[`JALIN_${s.toUpperCase()}_ADDRESS`] = `127.0.0.1:${this.ports[s].grpc}`;
    for (const s of SERVICES) {
      const env = {
        ...base,
        JALIN_GRPC_LISTEN: `127.0.0.1:${this.ports[s].grpc}`,
        JALIN_METRICS_LISTEN: `127.0.0.1:${this.ports[s].metrics}`,
        JALIN_STORE: join(this.dir, `${s}.db`),
      };
      if (s === 'gateway') {
        Object.assign(env, { JALIN_HTTP_LISTEN: `127.0.0.1:${this.httpPort}`,
                             JALIN_WEB_DIR: this.webDir, JALIN_RATE_LIMIT: '0' });
      }
      this.spawnLogged(s, [join(this.binaryDir, 'services', s, `jalin-${s}`)], env);
      try {
        await this.jalinctl(['health', '--wait', '60s', '--address', `127.0.0.1:${this.ports[s].grpc}`]);
      } catch (e) {
        throw new Error(`${s} did not become SERVING (log: ${join(this.dir, s + '.log')}): ${e.stderr || e.message}`);
      }
    }
    this.url = `http://127.0.0.1:${this.httpPort}`;
  }

  async token(role, { regions = [], subject } = {}) {
    const args = ['token', '--role', role, '--ttl', '2h'];
    if (regions.length) args.push('--regions', regions.join(','));
    if (subject) args.push('--subject', subject);
    const { stdout } = await this.jalinctl(args);
    return stdout.trim();
  }

  // Stops every child (SIGTERM, then SIGKILL) and removes the directory
  // unless `keep` (the logs of a failed run are worth reading).
  async stop({ keep = false } = {}) {
    for (const { child } of [...this.children].reverse()) {
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    if (!keep && this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
