/**
 * The run's cross-file agreements: when some are still broken after the last re-plan, what is given up with them is
 * what they are entangled with (a file in common, a stand-in for one of them), not every agreement of the run: in a
 * monorepo, one package's stubborn plan used to undo every other package's factories.
 */
import { describe, expect, it } from 'vitest';
import { entangledWith, filesOf, type Plans } from '../src/agreements.js';

const plans: Plans = new Map([
  [
    'stateless-entry',
    [
      { key: 'a', parts: { '/p/one.ts': {}, '/p/two.ts': {} } },
      { key: 'b', parts: { '/p/two.ts': {}, '/p/three.ts': {} } },
      { key: 'c', parts: { '/q/other.ts': {} } }
    ]
  ],
  [
    'push-to-input-required',
    [
      { key: 'd', parts: { '/r/asks.ts': {} }, fallbackFor: ['b'] },
      { key: 'e', parts: { '/q/other.ts': {}, '/q/more.ts': {} } }
    ]
  ]
]);

describe('agreements given up at the last re-plan', () => {
  it('are the broken ones, those sharing a file with them, over and over, and their stand-ins', () => {
    expect([...entangledWith(plans, new Set(['a']))].sort()).toEqual(['a', 'b', 'd']);
  });

  it('leave the agreements of files that have nothing to do with them standing', () => {
    expect([...entangledWith(plans, new Set(['c']))].sort()).toEqual(['c', 'e']);
    expect([...filesOf(plans, entangledWith(plans, new Set(['c'])))].sort()).toEqual(['/q/more.ts', '/q/other.ts']);
  });
});
