/**
 * A helper in one module that asks the client for the tools in others (push-to-input-required's cross-file change,
 * planned over the run): the helper returns the question and every caller forwards it, or neither side changes and
 * the helper keeps its marker, saying why.
 */
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const HELPER = `import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export async function chooseRegion(server: McpServer, regions: string[]): Promise<string | undefined> {
  const picked = await server.server.elicitInput({
    message: 'Which region?',
    requestedSchema: { type: 'object', properties: { region: { type: 'string', enum: regions } }, required: ['region'] }
  });
  return picked.action === 'accept' ? String(picked.content?.region) : undefined;
}
`;

const tools = (body: string) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { chooseRegion } from './ask.js';

export function register(server: McpServer) {
  server.registerTool('deploy', { inputSchema: { app: z.string() } }, async ({ app }) => {
${body}
    return { content: [{ type: 'text', text: \`\${app} in \${region}\` }] };
  });
}
`;

async function migrate(files: Record<string, string>) {
  return (await dryRunProject(files)).out;
}

describe('a helper asking the client for tools in another module', () => {
  it('returns the question, and each tool passes its context and forwards it', async () => {
    const out = await migrate({
      'src/ask.ts': HELPER,
      'src/tools.ts': tools("    const region = await chooseRegion(server, ['eu', 'us']);")
    });
    expect(out('src/ask.ts')).toContain(
      'export async function chooseRegion(server: McpServer, regions: string[], ctx: ServerContext): Promise<string | undefined | InputRequiredResult>'
    );
    expect(out('src/ask.ts')).toContain("inputResponse(ctx.mcpReq.inputResponses, 'elicitation')");
    expect(out('src/ask.ts')).toContain('return inputRequired({ inputRequests: { elicitation: pickedRequest } });');
    expect(out('src/ask.ts')).not.toContain('elicitInput');
    expect(out('src/tools.ts')).toContain('async ({ app }, ctx) => {');
    expect(out('src/tools.ts')).toContain(
      "const region = await chooseRegion(server, ['eu', 'us'], ctx);\n    if (isInputRequiredResult(region)) return region;"
    );
  });

  it('pairs them beside another package of the run with a function of the same name', async () => {
    // A monorepo run: the other package's own chooseRegion is not a caller of this one.
    const out = await migrate({
      'package.json': '{ "name": "deployer", "type": "module" }',
      'src/ask.ts': HELPER,
      'src/tools.ts': tools("    const region = await chooseRegion(server, ['eu', 'us']);"),
      'other/package.json': '{ "name": "other", "type": "module" }',
      'other/pick.ts':
        'export const chooseRegion = (regions: string[]) => regions[0];\nconsole.log(chooseRegion(["eu"]));\n'
    });
    expect(out('src/tools.ts')).toContain("const region = await chooseRegion(server, ['eu', 'us'], ctx);");
  });

  it('pairs a helper whose name holds a $ with its callers too', async () => {
    const out = await migrate({
      'src/ask.ts': HELPER.replace('chooseRegion', '$chooseRegion'),
      'src/tools.ts': tools("    const region = await $chooseRegion(server, ['eu', 'us']);").replace(
        '{ chooseRegion }',
        '{ $chooseRegion }'
      )
    });
    expect(out('src/ask.ts')).toContain(
      'export async function $chooseRegion(server: McpServer, regions: string[], ctx: ServerContext)'
    );
    expect(out('src/tools.ts')).toContain("const region = await $chooseRegion(server, ['eu', 'us'], ctx);");
  });

  it('changes neither side when a caller cannot forward the question, and says why at the helper', async () => {
    // The tool writes an audit line through a call before it asks: the retry would write it again.
    const out = await migrate({
      'src/ask.ts': HELPER,
      'src/tools.ts': tools(
        "    await fetch('https://audit.example/deploys', { method: 'POST', body: app });\n    const region = await chooseRegion(server, ['eu', 'us']);"
      )
    });
    expect(out('src/ask.ts')).toContain('await server.server.elicitInput({');
    expect(out('src/ask.ts')).toMatch(
      /TODO\(mcp-migrate\/push-to-input-required\/manual\): .*not done here: it is exported, and the run could not pair it/
    );
    expect(out('src/ask.ts')).not.toContain('ctx: ServerContext');
    expect(out('src/tools.ts')).toContain("const region = await chooseRegion(server, ['eu', 'us']);");
    expect(out('src/tools.ts')).not.toContain('isInputRequiredResult');
  });

  it('pairs tool modules that import nothing of the SDK, name their tools from a table, and get a client first', async () => {
    // The shape of Azure DevOps' server: the helper and the tool modules are handed the server, the tools are named
    // through a constant table, and each tool gets its API client from a provider before it may ask.
    const helper =
      'export async function elicitProject(server: any, connection: { getCoreApi(): Promise<{ getProjects(): Promise<string[]> }> }) {\n' +
      '  const api = await connection.getCoreApi();\n' +
      '  const projects = await api.getProjects();\n' +
      '  const result = await server.server.elicitInput({\n' +
      "    message: 'Which project?',\n" +
      "    requestedSchema: { type: 'object', properties: { project: { type: 'string', enum: projects } }, required: ['project'] }\n" +
      '  });\n' +
      "  if (result.action !== 'accept') return { response: { content: [{ type: 'text', text: 'cancelled' }] } };\n" +
      '  return { resolved: String(result.content?.project) };\n' +
      '}\n';
    const toolModule =
      "import { z } from 'zod';\n" +
      "import { elicitProject } from '../shared/elicitations.js';\n\n" +
      "const CORE_TOOLS = { list_teams: 'core_list_teams' };\n\n" +
      'export function configureCoreTools(server: any, connectionProvider: () => Promise<any>) {\n' +
      '  server.registerTool(CORE_TOOLS.list_teams, { inputSchema: { project: z.string().optional() } }, async ({ project }: { project?: string }) => {\n' +
      '    const connection = await connectionProvider();\n' +
      '    let resolved = project;\n' +
      '    if (!resolved) {\n' +
      '      const result = await elicitProject(server, connection);\n' +
      "      if ('response' in result) return result.response;\n" +
      '      resolved = result.resolved;\n' +
      '    }\n' +
      "    return { content: [{ type: 'text', text: `teams of ${resolved}` }] };\n" +
      '  });\n' +
      '}\n';
    const entry =
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';\n" +
      "import { configureCoreTools } from './tools/core.js';\n\n" +
      "const server = new McpServer({ name: 'ado', version: '1.0.0' });\n" +
      'configureCoreTools(server, async () => ({ getCoreApi: async () => ({ getProjects: async () => [] }) }));\n' +
      'await server.connect(new StdioServerTransport());\n';
    const out = await migrate({
      'src/shared/elicitations.ts': helper,
      'src/tools/core.ts': toolModule,
      'src/index.ts': entry
    });
    expect(out('src/shared/elicitations.ts')).not.toContain('elicitInput');
    expect(out('src/shared/elicitations.ts')).toContain('ctx: ServerContext');
    expect(out('src/tools/core.ts')).toContain(
      'const result = await elicitProject(server, connection, ctx);\n      if (isInputRequiredResult(result)) return result;'
    );
  });

  describe('two helpers a tool asks through in turn', () => {
    const pickers =
      "import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n\n" +
      'export async function pickRoom(server: McpServer): Promise<string | undefined> {\n' +
      "  const answer = await server.server.elicitInput({\n    message: 'Room?',\n" +
      "    requestedSchema: { type: 'object', properties: { room: { type: 'string' } } }\n  });\n" +
      "  return answer.action === 'accept' ? String(answer.content?.room) : undefined;\n" +
      '}\n\n' +
      'export async function pickDay(server: McpServer, room: string): Promise<string | undefined> {\n' +
      '  const answer = await server.server.elicitInput({\n    message: `Day for ${room}?`,\n' +
      "    requestedSchema: { type: 'object', properties: { day: { type: 'string' } } }\n  });\n" +
      "  return answer.action === 'accept' ? String(answer.content?.day) : undefined;\n" +
      '}\n';
    const booking = (body: string) =>
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
      "import { z } from 'zod';\n" +
      "import { pickDay, pickRoom } from './pickers.js';\n\n" +
      'export function register(server: McpServer) {\n' +
      "  server.registerTool('book', { inputSchema: { note: z.string() } }, async ({ note }) => {\n" +
      body +
      "\n    return { content: [{ type: 'text', text: `${room} ${day} ${note}` }] };\n" +
      '  });\n' +
      '}\n';

    it('ask in rounds: each keyed by its name, the tool opening them once and handing them to both', async () => {
      const out = await migrate({
        'src/pickers.ts': pickers,
        'src/booking.ts': booking(
          '    const room = await pickRoom(server);\n    if (!room) return { content: [] };\n    const day = await pickDay(server, room);'
        )
      });
      expect(out('src/pickers.ts')).toContain(
        'export async function pickRoom(server: McpServer, ctx: ServerContext, rounds: InputRounds)'
      );
      expect(out('src/pickers.ts')).toContain("const answerInput = rounds.response('pickRoom', answerRequest);");
      expect(out('src/pickers.ts')).toContain('return rounds.ask({ pickDay: answerRequest });');
      expect(out('src/pickers.ts')).toContain("import { type InputRounds } from './mcp-input-rounds.js';");
      const tool = out('src/booking.ts');
      expect(tool).toContain(
        "async ({ note }, ctx) => {\n    const rounds = await inputRounds(ctx, 'book', { note });"
      );
      expect(tool).toContain(
        'const room = await pickRoom(server, ctx, rounds);\n    if (isInputRequiredResult(room)) return room;'
      );
      expect(tool).toContain(
        'const day = await pickDay(server, room, ctx, rounds);\n    if (isInputRequiredResult(day)) return day;'
      );
      expect(tool.match(/await inputRounds\(/g)).toHaveLength(1);
    });

    it('ask through one of them in each branch of an action the tool dispatches on (one runs per call)', async () => {
      const out = await migrate({
        'src/pickers.ts': pickers,
        'src/booking.ts': booking(
          "    let room = 'none';\n    let day = 'none';\n" +
            "    if (note === 'room') {\n      const picked = await pickRoom(server);\n" +
            "      return { content: [{ type: 'text', text: `room ${picked}` }] };\n    }\n" +
            "    if (note === 'both') {\n      const picked = await pickRoom(server);\n      if (!picked) return { content: [] };\n" +
            '      const when = await pickDay(server, picked);\n' +
            "      return { content: [{ type: 'text', text: `${picked} ${when}` }] };\n    }"
        )
      });
      expect(out('src/pickers.ts')).not.toContain('elicitInput');
      expect(out('src/booking.ts').match(/await pickRoom\(server, ctx, rounds\)/g)).toHaveLength(2);
      expect(out('src/booking.ts')).toContain('await pickDay(server, picked, ctx, rounds)');
    });

    it('ask through one of them from both arms of an else-if on the tool argument (one question per call)', async () => {
      const out = await migrate({
        'src/pickers.ts': pickers,
        'src/booking.ts': booking(
          "    const room = 'none';\n    const day = 'none';\n" +
            "    if (note === 'one') {\n      const picked = await pickRoom(server);\n" +
            "      return { content: [{ type: 'text', text: `one ${picked}` }] };\n" +
            "    } else if (note === 'two') {\n      const picked = await pickRoom(server);\n" +
            "      return { content: [{ type: 'text', text: `two ${picked}` }] };\n    }"
        )
      });
      // pickDay is called by no tool here: only pickRoom is planned, once per call, so it hands back one question.
      expect(out('src/pickers.ts')).toContain('export async function pickRoom(server: McpServer, ctx: ServerContext)');
      expect(
        out('src/booking.ts').match(
          /await pickRoom\(server, ctx\);\n\s+if \(isInputRequiredResult\(picked\)\) return picked;/g
        )
      ).toHaveLength(2);
    });

    it('leaves both as they were when the tool asks through one of them twice (the second would read the first answer)', async () => {
      const out = await migrate({
        'src/pickers.ts': pickers,
        'src/booking.ts': booking(
          '    const room = await pickRoom(server);\n    const spare = await pickRoom(server);\n    const day = await pickDay(server, `${room}/${spare}`);'
        )
      });
      expect(out('src/pickers.ts')).toContain('await server.server.elicitInput(');
      expect(out('src/booking.ts')).not.toContain('inputRounds');
    });
  });
});
