/**
 * A faster `Collection.find` for jscodeshift. The stock one walks the tree with ast-types' PathVisitor, which builds
 * a NodePath for every node it passes; the rewrites search their trees dozens of times per file, and that was most
 * of the run time. This one walks the plain nodes in the very order and over the very fields PathVisitor does
 * (`getFieldNames`), and builds NodePaths only for the matches (through the same cached `path.get` chain, so a match
 * is the identical NodePath object the stock find would return). Installed once, for every collection.
 */
import { createRequire } from 'node:module';
import jscodeshift from 'jscodeshift';

const require = createRequire(import.meta.url);
const Collection = require('jscodeshift/src/Collection.js') as {
  fromPaths(paths: any[], parent?: any, type?: any): any;
};
const matchNode = require('jscodeshift/src/matchNode.js') as (node: unknown, filter: unknown) => boolean;
const { getFieldNames } = jscodeshift.types;

/** Fields that never hold nodes a rewrite searches for: source positions, token lists, recast's shadow copy. */
const SKIP = new Set(['loc', 'tokens', 'original', 'extra', 'start', 'end', 'type']);

function fastFind(this: any, type: any, filter?: unknown): any {
  const found: any[] = [];
  for (const start of this.__paths as any[]) {
    const chain: (string | number)[] = [];
    const walk = (value: any, isStart: boolean): void => {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          chain.push(i);
          walk(value[i], false);
          chain.pop();
        }
        return;
      }
      if (!value || typeof value !== 'object' || typeof value.type !== 'string') return;
      if (!isStart && type.check(value) && (!filter || matchNode(value, filter))) found.push(start.get(...chain));
      for (const field of getFieldNames(value)) {
        if (SKIP.has(field)) continue;
        const child = value[field];
        if (!child || typeof child !== 'object') continue;
        chain.push(field);
        walk(child, false);
        chain.pop();
      }
    };
    walk(start.value, true);
  }
  return Collection.fromPaths(found, this, type);
}

let installed = false;

export function installFastFind(): void {
  if (installed) return;
  installed = true;
  const prototype = Object.getPrototypeOf(jscodeshift([]));
  const registrations = prototype.find?.typedRegistrations;
  if (registrations && typeof registrations.Node === 'function') registrations.Node = fastFind;
}
