/**
 * A tool that reads the session id only to print it (`console.log(`[${ctx.sessionId}] start`)`) keeps no state a
 * handle could replace; on 2026-07-28 it would print `undefined`. The request id is what those lines can still be
 * told apart by, so each read prints `ctx.mcpReq.id` instead (a NOTE says the lines no longer group by session).
 */
import type { TextEdit } from '../kit/text-edits.js';
import { isPrintedByLog, type SessionRead } from './session-uses.js';

/** The edits that print the request id where the reads printed the session id, or undefined when one read does more. */
export function requestIdForPrintedReads(reads: SessionRead[], ctxName: string): TextEdit[] | undefined {
  const printedOnly = reads.every(
    r => r.uses.length > 0 && r.uses.every(u => u.kind === 'benign' && isPrintedByLog(u.at))
  );
  if (!printedOnly) return undefined;
  return reads.map(r => {
    // The request id is a string or a number: where it is not spliced into text, a parameter or an alias may be
    // declared `string`.
    const at = r.uses[0]!.at;
    const spliced =
      r.uses.length === 1 &&
      at.node === r.expression &&
      /^(TemplateLiteral|BinaryExpression)$/.test(at.parent?.node.type);
    const id = `${ctxName}.mcpReq.id`;
    return { start: r.expression.start, end: r.expression.end, text: spliced ? id : `String(${id})` };
  });
}

export const LOG_CORRELATION_NOTE =
  'there are no sessions on 2026-07-28 (ctx.sessionId is undefined): these log lines print the request id ' +
  '(ctx.mcpReq.id) where they printed the session id, so they group by request, not by session; for a trace ' +
  'across calls use the W3C trace context in the request _meta';
