/**
 * ast-types (0.16) cannot scan the scope of a `catch` clause without a binding (ES2019 `try { … } catch { … }`): it
 * asserts the missing parameter is a pattern, so any name looked up from inside such a block threw ("null does not
 * match type Pattern") and the rewrite that asked crashed for the whole file (a GitLab server's build output). Such a
 * clause binds nothing itself, which is what an empty scan says. (ast-types does not count the declarations in its
 * block in the scope around it either, as it does for a clause with a binding: a lookup of one finds nothing, which
 * the rewrites read as "not a local they can see", and the engine's reference check refuses any output that loses one.)
 * Installed once, on the Scope class jscodeshift's paths use.
 */
import jscodeshift from 'jscodeshift';

let installed = false;

export function installCatchScopeFix(): void {
  if (installed) return;
  installed = true;
  const j = jscodeshift.withParser('babel');
  const probe = j('try {} catch { x; }').find(j.Identifier, { name: 'x' }).paths()[0];
  const proto = probe && Object.getPrototypeOf(probe.scope);
  if (!proto || typeof proto.scan !== 'function') return;
  const scan = proto.scan as (this: any, force?: boolean) => void;
  proto.scan = function (this: any, force?: boolean) {
    if (this.node?.type === 'CatchClause' && !this.node.param) {
      this.didScan = true;
      return;
    }
    scan.call(this, force);
  };
}
