/** A name looked up from inside `catch { … }` (no binding, ES2019) resolves instead of throwing in ast-types. */
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { installCatchScopeFix } from '../transforms/kit/catch-scope.js';

describe('catch clause without a binding', () => {
  it.each(['tsx', 'babel'])('resolves names used inside it (%s parser)', parser => {
    installCatchScopeFix();
    const j = jscodeshift.withParser(parser);
    const root = j('const server = make();\ntry { start(); } catch { const retry = 1; server.close(retry); }');
    const [, use] = root.find(j.Identifier, { name: 'server' }).paths();
    expect(use!.scope.lookup('server')?.isGlobal).toBe(true);
    // ast-types does not bind the block's own declarations anywhere for such a clause: not found, and no throw.
    const retry = root.find(j.Identifier, { name: 'retry' }).paths()[1]!;
    expect(() => retry.scope.lookup('retry')).not.toThrow();
  });
});
