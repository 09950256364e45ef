// What every command-line entry point shares: `--help` (or -h) prints its usage and the
// configuration variables it reads (the list is config.ts's own, so it cannot drift), then exits 0.
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { createLogger } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';

export interface CliUsage {
  /** e.g. `npm run migrate` */
  readonly command: string;
  /** What it does, a sentence or two. */
  readonly summary: string;
  /** Its flags, `--name value   meaning` per line; none when it takes none. */
  readonly options?: readonly string[];
  /** Whether it reads the product configuration (the environment variables). */
  readonly readsConfig?: boolean;
}

export function helpText(usage: CliUsage): string {
  const lines = [`usage: ${usage.command}${usage.options?.length ? ' [options]' : ''}`, '', usage.summary, ''];
  lines.push('options:', ...(usage.options ?? []).map((o) => `  ${o}`), '  --help, -h   show this help and exit', '');
  if (usage.readsConfig ?? true) {
    lines.push(
      'configuration (environment variables; README.md § Configuration has defaults and meanings):',
      ...wrap(CONFIG_VARIABLES.join(', '), 96).map((l) => `  ${l}`),
      '',
    );
  }
  return lines.join('\n');
}

/** Prints the help and exits 0 when argv asks for it; otherwise returns. */
export function exitOnHelp(usage: CliUsage, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(helpText(usage));
  process.exit(0);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The configuration for an entry point (engine, worker, migrate, seed): parsed once from the
 * environment; on a bad variable every problem is printed and undefined is returned (exit 1).
 */
export function configOrReport(env: NodeJS.ProcessEnv = process.env): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return undefined;
  }
}

/** The process's logger, as configured (HUITOU_LOG_LEVEL, HUITOU_LOG_FORMAT). */
export const processLogger = (config: Config): Logger => createLogger(config.log);
