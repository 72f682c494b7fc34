/**
 * Tests of registration helpers stub the whole McpServer (`sinon.createStubInstance(McpServer)`, `vi.mock` of the
 * SDK module) and assert on the removed method: `server.tool.calledOnce`, `server.resource.getCall(0).args[0]`,
 * `server.tool.callsFake((...args) => args[args.length - 1])`. Once the code under test calls `registerTool`, the
 * same assertion reads the stub of `registerTool`. That is only the same test when what it reads of a call is where
 * both methods put it — the name first, the callback last — and when the stub comes from the class, not from an
 * object or assignment that names the old method (those keep the TODO).
 */
const AUTO_MOCK =
  /\bcreateStubInstance\s*\(\s*(?:[\w$]+\.)?McpServer\b|\b(?:jest|vi)\.mock\s*\(\s*['"]@modelcontextprotocol\/(?:sdk\/server\/mcp|server)\b/;
/** Assertions over a whole argument list: `description`, `paramsSchema` sat where v2 has `config`. */
const WHOLE_ARGUMENT_LIST = new RegExp(
  String.raw`\b(?:calledWith|calledOnceWith|calledWithExactly|calledOnceWithExactly|calledWithMatch|alwaysCalledWith|` +
    String.raw`toHaveBeenCalledWith|toHaveBeenLastCalledWith|toHaveBeenNthCalledWith|toBeCalledWith|lastCalledWith|` +
    String.raw`callsArg\w*)\b`
);

export function doubleReadsKeptArguments(src: string, kind: string): boolean {
  if (!AUTO_MOCK.test(src)) return false;
  // The stub named some other way: `server.tool = sinon.stub()`, `{ tool: vi.fn() }`, `spyOn(server, 'tool')`.
  if (new RegExp(`\\.${kind}\\s*=(?!=)|[{,]\\s*${kind}\\s*:|['"\`]${kind}['"\`]`).test(src)) return false;
  if (WHOLE_ARGUMENT_LIST.test(src)) return false;
  for (const m of src.matchAll(/\b(?:args|calls\s*\[[^\]]*\]\s*!?)\s*(?:\?\.)?\[\s*([^\]]*)\]/g)) {
    const index = m[1]!.trim();
    if (index !== '0' && !/^[\w$.]+\.length\s*-\s*1$/.test(index)) return false;
  }
  // `const [name, description] = call.args`: positions past the name.
  if (/\[[^\]=]*,[^\]=]*\]\s*=\s*[^;\n]*\bargs\b/.test(src)) return false;
  return true;
}
