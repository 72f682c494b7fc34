#!/usr/bin/env node
/** Thin CLI: parses flags with commander, calls src/, sets the exit code. Usage errors exit 2 in one line. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../src/discover.js';

// A closed pipe (`| head`) is the reader saying it has seen enough, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Each command loads its own modules when it runs: the rewrites and the compiler are most of a second to load, which
// `check`, `explain` and `--version` never need.

/** `--ignore <glob>`, repeatable, shared by migrate and check. */
const ignoreOption = () =>
  new Option('--ignore <glob>', 'skip matching paths (repeatable)').argParser((v: string, prev: string[] = []) => [
    ...prev,
    v
  ]);

const program = new Command('mcp-migrate')
  .description('Migrate MCP servers from @modelcontextprotocol/sdk 1.x to the v2 SDK and MCP 2026-07-28')
  .version(packageVersion(), '-V, --version')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });

const migrate = program
  .command('migrate', { isDefault: true })
  .description('migrate files in place (default path: .)')
  .argument('[paths...]', 'files or directories')
  .option('--dry-run', 'print unified diffs, write nothing')
  .option('--exit-code', 'with --dry-run: exit 1 when changes are pending')
  .option('--transforms <ids>', 'comma-separated subset of transform ids (see --list)')
  .option('--list', 'list transform ids and summaries')
  .option('--json', 'JSON report on stdout instead of text')
  .option('--jobs <n>', 'worker threads (default: all cores)')
  .option(
    '--timeout <seconds>',
    'per-file time budget, in CPU time where the platform says (Linux); a file over it fails and is left as it was (default: 30)'
  )
  .addOption(ignoreOption())
  .option('--force', 'write even when the git work tree has uncommitted changes, and over read-only files')
  .option('--config <file>', 'settings for the rewrites (default: the nearest mcp-migrate.config.json)')
  .option(
    '--typecheck',
    'type-check changed files before (v1) and after (v2) and report introduced type errors (exit 1)'
  )
  .exitOverride()
  .action(async (paths: string[], flags) => {
    const { migrateCommand } = await import('../src/cli/migrate-command.js');
    process.exitCode = await migrateCommand(paths, flags);
  });

program
  .command('check')
  .description('report removed / deprecated MCP API use and leftover migration markers (exit 1 on errors)')
  .argument('[paths...]', 'files or directories')
  .option('--format <format>', 'text | json | sarif | github', 'text')
  .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
  .option('--jobs <n>', 'worker threads (default: all cores)')
  .addOption(ignoreOption())
  .exitOverride()
  .action(async (paths: string[], flags) => {
    const { checkCommand } = await import('../src/cli/check-command.js');
    process.exitCode = await checkCommand(paths, flags);
  });

program
  .command('explain')
  .description(
    'explain any rule id the tool prints (check rules, rewrite markers such as stateless-entry/sse-endpoint)'
  )
  .argument('<rule-id>')
  .exitOverride()
  .action(async (id: string) => {
    const { explainCommand } = await import('../src/cli/explain.js');
    process.exitCode = explainCommand(id);
  });

// `mcp-migrate --help` shows the default command's flags too: most users never type `migrate`.
program.addHelpText(
  'after',
  () => `\nmigrate is the default command (mcp-migrate [options] [paths...]):\n${migrate.helpInformation()}`
);

/** The version in the package.json shipped beside dist/. */
function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode =
      err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError) {
    process.stderr.write(`mcp-migrate: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`mcp-migrate: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  }
}
