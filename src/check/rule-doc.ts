/** Renders a rule's docs page (docs/rules/<id>.md) from its data, so pages and rules cannot disagree. */
import type { Rule } from './rules.js';
import { RULE_EXAMPLES } from './rule-examples.js';

const SEVERITY_MEANING = {
  error: 'removed from the 2026-07-28 wire or from the v2 SDK API, or a migration step left to do: `check` exits 1',
  warning:
    'deprecated but still working (the spec keeps it for at least 12 months): reported, exit 0 unless `--max-warnings` is exceeded',
  info: 'deprecated in the v2 SDK typings only: reported, never fails the build'
};

export function ruleDoc(rule: Rule): string {
  const ex = RULE_EXAMPLES[rule.id];
  return [
    `# \`${rule.id}\``,
    '',
    `**Severity:** ${rule.severity} — ${SEVERITY_MEANING[rule.severity]}.`,
    '',
    `${capitalize(rule.message)}.`,
    '',
    `**Fix:** ${rule.fix}.`,
    '',
    rule.automatedBy
      ? `**Automated by:** \`mcp-migrate --transforms ${rule.automatedBy.split(',')[0].trim()}\` (${rule.automatedBy}).`
      : '**Automated by:** no rewrite yet; fix it by hand.',
    '',
    `**Spec:** ${rule.spec}`,
    '',
    '## Flagged',
    '',
    '```ts',
    ex?.bad ?? '',
    '```',
    '',
    '## Not flagged',
    '',
    '```ts',
    ex?.good ?? '',
    '```',
    '',
    '## Suppressing one line',
    '',
    'When the use is deliberate, say why on the line above (a suppression without a reason is itself an error):',
    '',
    '```ts',
    `// mcp-migrate-ignore-next-line ${rule.id} -- <why this is fine here>`,
    '```',
    ''
  ].join('\n');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
