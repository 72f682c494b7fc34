/** `mcp-migrate check [paths...]` and `mcp-migrate explain <rule-id>`. */
import { runCheck } from '../check/run-check.js';
import { UsageError } from '../discover.js';
import { defaultJobs } from '../pool.js';
import { CHECK_FORMATS, formatCheck, summary, type CheckFormat } from '../report/check-formats.js';
import { isInteractive } from './terminal.js';

export interface CheckFlags {
  format?: string;
  maxWarnings?: string;
  ignore?: string[];
  jobs?: string;
}

export async function checkCommand(paths: string[], flags: CheckFlags): Promise<number> {
  const format = (flags.format ?? 'text') as CheckFormat;
  if (!CHECK_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${CHECK_FORMATS.join(', ')}, got "${flags.format}"`);
  const maxWarnings = flags.maxWarnings === undefined ? Infinity : Number(flags.maxWarnings);
  if (!(maxWarnings >= 0) || (flags.maxWarnings !== undefined && !Number.isInteger(maxWarnings))) {
    throw new UsageError(`--max-warnings takes a whole number of at least 0, got "${flags.maxWarnings}"`);
  }
  const jobs = flags.jobs === undefined ? defaultJobs() : Number(flags.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs takes a whole number of at least 1, got "${flags.jobs}"`);
  const report = await runCheck(paths.length ? paths : ['.'], flags.ignore ?? [], jobs);
  const out = formatCheck(format, report, process.cwd(), isInteractive(process.stdout));
  if (out) process.stdout.write(out + '\n');
  const s = summary(report);
  if (s.error > 0) return 1;
  if (s.warning > maxWarnings) {
    if (format === 'text')
      process.stderr.write(`mcp-migrate: ${s.warning} warning(s), more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}
