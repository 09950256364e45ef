// Builds Temporal's own servers, the references the conformance lanes run the product against:
//   temporal          Temporal's server in development mode (tools/temporal-server, Go modules)
//   java-test-server  Temporal's Java test server (tools/java-test-server, Maven Central)
// Each lands in .cache/temporal-servers/<name> (ignored, never committed) with a stamp of its
// inputs: a second run with a warm cache prints nothing and returns at once.
// Use: node scripts/temporal-servers.mjs [temporal] [java-test-server]   (no name: both)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'temporal-servers');

/** What each server is built from, how, and how it is run once built. */
export const servers = {
  temporal: {
    tool: 'go',
    sources: ['tools/temporal-server/go.mod', 'tools/temporal-server/go.sum', 'tools/temporal-server/main.go'],
    build: async (out) => {
      const cwd = join(root, 'tools/temporal-server');
      await step('downloading Temporal server modules (Go module proxy)', 'go', ['mod', 'download'], cwd);
      await step(
        'compiling the Temporal server (the first build takes minutes)',
        'go',
        ['build', '-buildvcs=false', '-o', join(out, 'temporal-server'), '.'],
        cwd,
      );
    },
    command: (out) => ({ file: join(out, 'temporal-server'), args: [] }),
  },
  'java-test-server': {
    tool: 'mvn',
    sources: ['tools/java-test-server/pom.xml'],
    build: async (out) => {
      const cwd = join(root, 'tools/java-test-server');
      await step(
        "resolving Temporal's Java test server (Maven Central)",
        'mvn',
        ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${join(out, 'lib')}`],
        cwd,
      );
    },
    command: (out) => ({ file: 'java', args: ['-cp', `${join(out, 'lib')}/*`, 'io.temporal.testserver.TestServer'] }),
  },
};

/** Builds `name` unless the cache matches its sources; returns how to run it. */
export async function ensureServer(name) {
  const server = servers[name];
  if (!server) throw new Error(`unknown Temporal server "${name}" (known: ${Object.keys(servers).join(', ')})`);
  const out = join(cacheDir, name);
  const stampFile = join(out, '.stamp');
  const stamp = inputsHash(server);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return server.command(out);

  requireTool(server.tool, name);
  if (name === 'java-test-server') requireTool('java', name);
  const started = Date.now();
  log(`building ${name} into ${out.slice(root.length + 1)}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await server.build(out);
  writeFileSync(stampFile, stamp);
  log(`${name} ready (${Math.round((Date.now() - started) / 1000)} s)`);
  return server.command(out);
}

function inputsHash(server) {
  const hash = createHash('sha256');
  for (const file of server.sources) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

function requireTool(tool, name) {
  const found = spawnSync(tool, [tool === 'java' ? '-version' : 'version'], { stdio: 'ignore' });
  if (found.error) {
    const hint = {
      go: 'the Go toolchain',
      mvn: 'Maven (apt-get install -y maven)',
      java: 'a Java 17 runtime (apt-get install -y openjdk-17-jre-headless)',
    }[tool];
    throw new Error(`building ${name} needs \`${tool}\` on PATH: install ${hint}`);
  }
}

/** Runs one build step, printing a heartbeat while it lasts and its output's tail if it fails. */
function step(what, file, args, cwd) {
  log(`${what}...`);
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const heartbeat = setInterval(
      () => log(`  still ${what.split(' ')[0]} (${Math.round((Date.now() - started) / 1000)} s)`),
      30_000,
    );
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (code === 0) return resolvePromise();
      reject(
        new Error(
          `${file} ${args.join(' ')} failed (exit ${code}) in ${cwd.slice(root.length + 1)}; ${refusal(output)}\n${output.trim()}`,
        ),
      );
    });
  });
}

/** Names a refused download, the usual cause of a failed build on a machine with registries only. */
function refusal(output) {
  const match =
    /(?:reading|Could not (?:transfer|resolve)|Failed to (?:fetch|read)).*?(https?:\/\/\S+|[\w.-]+:[\w.-]+:[\w.-]+)/i.exec(
      output,
    );
  return match ? `a download was refused: ${match[0]}` : 'its output follows';
}

function log(message) {
  console.error(`[temporal-servers] ${message}`); // stderr: stdout carries --command's answer
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(`usage: npm run temporal-servers [-- [--command] [NAME...]]

Builds Temporal's own servers for the conformance lanes into .cache/ (quiet when cached).
NAME: ${Object.keys(servers).join(', ')} (default: all).

options:
  --command   print how to run each server, one JSON line each (for the test lanes)
  --help, -h  show this help and exit`);
    process.exit(0);
  }
  // --command NAME: build if needed, then print how to run it as one JSON line (for the test lanes).
  const printCommand = process.argv[2] === '--command';
  const names = process.argv.slice(printCommand ? 3 : 2);
  try {
    for (const name of names.length > 0 ? names : Object.keys(servers)) {
      const command = await ensureServer(name);
      if (printCommand) console.log(JSON.stringify(command));
    }
  } catch (error) {
    console.error(`[temporal-servers] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
