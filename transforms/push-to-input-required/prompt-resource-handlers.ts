/**
 * Prompts and resources ask too: 2026-07-28 lets `prompts/get` and `resources/read` answer with an input_required
 * result as `tools/call` does (v2 types their callbacks to return one), so a prompt that asks the client for a tone
 * or a resource that lists the client's roots becomes rounds the same way. Each registration is read as a handler
 * whose context sits where v2 passes it: `registerPrompt(name, { argsSchema }, (args, ctx))` or `(ctx)` without
 * arguments; `registerResource(name, uri, metadata, (uri, ctx))`, or `(uri, variables, ctx)` for a template.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isFunction, isStringLiteral, propertyNamed } from '../kit/ast.js';
import { tracedHandler, type ToolRegistration } from '../kit/tool-registrations.js';

type Node = any;

const REGISTRATION = /^register(?:Prompt|Resource)$/;

export function promptAndResourceHandlers(j: JSCodeshift, root: any, src: string): ToolRegistration[] {
  const found: ToolRegistration[] = [];
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .filter((p: ASTPath<any>) => REGISTRATION.test(p.node.callee.property?.name ?? ''))
    .forEach((p: ASTPath<any>) => {
      const args = p.node.arguments;
      const callback = tracedHandler(args[args.length - 1]);
      const [name] = args;
      if (!isFunction(callback) || !isStringLiteral(name)) return;
      const contextAt = contextIndex(p.node.callee.property.name, args);
      if (contextAt === undefined) return;
      const param = callback.params[contextAt];
      found.push({
        path: p,
        name: name.value,
        server: src.slice(p.node.callee.object.start, p.node.callee.object.end),
        callback,
        ctxName: param?.type === 'Identifier' ? param.name : undefined,
        contextAt
      });
    });
  return found;
}

function contextIndex(method: string, args: Node[]): number | undefined {
  if (method === 'registerPrompt') {
    const config = args.length >= 3 ? args[1] : undefined;
    if (config && config.type !== 'ObjectExpression') return undefined;
    return config && propertyNamed(config, 'argsSchema') ? 1 : 0;
  }
  if (args.length < 3) return undefined;
  const template = args[1]?.type === 'NewExpression' && args[1].callee?.name === 'ResourceTemplate';
  return template ? 2 : 1;
}
