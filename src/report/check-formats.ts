/**
 * Output formats for check findings: `text` (file:line:col severity rule message), `json`, `sarif` (2.1.0, for
 * GitHub code scanning) and `github` (workflow command annotations).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import pc from 'picocolors';
import type { CheckReport } from '../check/run-check.js';
import type { Finding } from '../check/carried-markers.js';
import { FILE_RULES } from '../check/file-rules.js';
import { RULES } from '../check/rules.js';

export type CheckFormat = 'text' | 'json' | 'sarif' | 'github';
export const CHECK_FORMATS: CheckFormat[] = ['text', 'json', 'sarif', 'github'];

const TOOL_VERSION = '0.1.0';
const DOCS = 'https://github.com/mcp-migrate/mcp-migrate/blob/main/docs/rules';

export function formatCheck(format: CheckFormat, report: CheckReport, cwd: string, color: boolean): string {
  const rel = (f: string) => (path.relative(cwd, f) || f).split(path.sep).join('/');
  switch (format) {
    case 'json':
      return JSON.stringify(
        {
          findings: report.findings.map(f => ({
            file: rel(f.file),
            line: f.line,
            column: f.column,
            severity: f.severity,
            rule: f.rule,
            message: f.message,
            ...(f.marker ? { marker: f.marker } : {})
          })),
          summary: summary(report),
          vendoredSdk: Object.entries(report.vendored ?? {}).map(([root, files]) => ({ root: rel(root), files }))
        },
        null,
        2
      );
    case 'sarif':
      return JSON.stringify(sarif(report, rel, cwd), null, 2);
    case 'github':
      return report.findings
        .map(f => {
          const level = f.severity === 'info' ? 'notice' : f.severity;
          const where = `file=${rel(f.file)},line=${f.line},col=${f.column}`;
          return `::${level} ${where},title=${f.rule}::${escapeGithub(withMarker(f))}`;
        })
        .join('\n');
    default: {
      const c = pc.createColors(color);
      const sev = { error: c.red('error'), warning: c.yellow('warning'), info: c.dim('info') };
      const lines = report.findings.map(
        f =>
          `${rel(f.file)}:${f.line}:${f.column} ${sev[f.severity]} ${c.bold(f.rule)} ${f.message}` +
          (f.marker ? c.dim(` (marked: ${markerTag(f.marker)})`) : '')
      );
      const s = summary(report);
      for (const [root, n] of Object.entries(report.vendored ?? {}))
        lines.push(
          c.dim(
            `${rel(root)}: a vendored copy of the v1 SDK (${n} file(s)) was not checked; delete it once nothing imports it`
          )
        );
      lines.push(
        `${s.error} error(s), ${s.warning} warning(s), ${s.info} info in ${report.candidates} of ${report.files} file(s) ` +
          `(${(report.durationMs / 1000).toFixed(2)}s)`
      );
      return lines.join('\n');
    }
  }
}

export function summary(report: CheckReport): {
  error: number;
  warning: number;
  info: number;
  files: number;
  candidates: number;
  durationMs: number;
} {
  const count = (s: string) => report.findings.filter(f => f.severity === s).length;
  return {
    error: count('error'),
    warning: count('warning'),
    info: count('info'),
    files: report.files,
    candidates: report.candidates,
    durationMs: report.durationMs
  };
}

/** A finding's message with the marker that says what to do there, where one does (see check/carried-markers). */
function withMarker(f: Finding): string {
  return f.marker ? `${f.message} — ${f.marker}` : f.message;
}

/** `TODO(mcp-migrate/<rule>)` or `@mcp-codemod-error`: enough to find the marker on the lines above. */
function markerTag(marker: string): string {
  return /^(?:TODO\([^)]*\)|@mcp-codemod-error|NOTE\([^)]*\))/.exec(marker)?.[0] ?? marker;
}

function escapeGithub(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function sarif(report: CheckReport, rel: (f: string) => string, cwd: string): Log {
  const ids = [...RULES.map(r => r.id), ...FILE_RULES.map(r => r.id)];
  const rules: ReportingDescriptor[] = ids.map(id => {
    const r = RULES.find(x => x.id === id);
    const f = FILE_RULES.find(x => x.id === id);
    return {
      id,
      shortDescription: { text: r?.message ?? f!.summary },
      fullDescription: {
        text: r ? `${r.message}. Fix: ${r.fix}${r.automatedBy ? ` (automated by: ${r.automatedBy})` : ''}` : f!.fix
      },
      helpUri: `${DOCS}/${id}.md`,
      defaultConfiguration: { level: SARIF_LEVEL[r?.severity ?? f!.severity] },
      properties: r ? { spec: r.spec } : {}
    };
  });
  const results: Result[] = report.findings.map(f => ({
    ruleId: f.rule,
    ruleIndex: ids.indexOf(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: withMarker(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: rel(f.file), uriBaseId: 'SRCROOT' },
          region: { startLine: f.line, startColumn: f.column }
        }
      }
    ]
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcp-migrate',
            version: TOOL_VERSION,
            informationUri: 'https://github.com/mcp-migrate/mcp-migrate',
            rules
          }
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd + path.sep).href } },
        results
      }
    ]
  };
}
