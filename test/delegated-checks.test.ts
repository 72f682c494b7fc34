/**
 * A tool's branch handing the arguments to a function another module exports with the tool's definition: the checks
 * that function opens with move into that module's schema literal, planned over the run with the handler's module,
 * which must validate the arguments for them to go. Both or neither.
 */
import { describe, expect, it } from 'vitest';
import { dryRunProject } from './helpers/project.js';

const TOOL_MODULE = `export const forecastTool = {
  name: 'get_forecast',
  description: 'Forecast for a city',
  inputSchema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, days: { type: 'number' } },
    required: ['city']
  }
};

export async function getForecast(args: any) {
  if (args.days !== undefined && (args.days < 1 || args.days > 14)) {
    throw new Error('days must be between 1 and 14');
  }
  return { content: [{ type: 'text' as const, text: \`\${args.city}: sunny\` }] };
}
`;

const handler = (async = 'async ') => `import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { forecastTool, getForecast } from './tools/weather.js';

const server = new Server({ name: 'split', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [forecastTool] }));
server.setRequestHandler(CallToolRequestSchema, ${async}request => {
  switch (request.params.name) {
    case 'get_forecast':
      return getForecast(request.params.arguments ?? {});
    default:
      throw new Error(\`Unknown tool: \${request.params.name}\`);
  }
});
await server.connect(new StdioServerTransport());
`;

describe('checks in a function another module exports with its tool', () => {
  it('move into that module’s schema literal once the handler validates, though it imports nothing of MCP', async () => {
    const { out, report } = await dryRunProject({ 'src/index.ts': handler(), 'src/tools/weather.ts': TOOL_MODULE });
    expect(out('src/tools/weather.ts')).toContain("days: { type: 'number', minimum: 1, maximum: 14 }");
    // Rewritten for its part, still not counted among the files that use MCP.
    expect(report.summary.candidates).toBe(1);
    expect(out('src/tools/weather.ts')).not.toContain('days must be between');
    expect(out('src/index.ts')).toContain('= toolArgumentsValidator(');
  });

  it('stay when another module calls the function too (its calls would lose them)', async () => {
    const { out } = await dryRunProject({
      'src/index.ts': handler(),
      'src/tools/weather.ts': TOOL_MODULE,
      'src/cli.ts': `import { getForecast } from './tools/weather.js';\nconsole.log(await getForecast({ city: 'Oslo' }));\n`
    });
    expect(out('src/tools/weather.ts')).toBe(TOOL_MODULE);
    expect(out('src/index.ts')).toContain('= toolArgumentsValidator(');
  });

  it('move all the same beside another package of the run naming a function of its own so', async () => {
    // A monorepo run: the other package cannot call this module's getForecast; its own does not hold the checks back.
    const { out } = await dryRunProject({
      'package.json': '{ "name": "weather", "type": "module" }',
      'src/index.ts': handler(),
      'src/tools/weather.ts': TOOL_MODULE,
      'other/package.json': '{ "name": "other", "type": "module" }',
      'other/cli.ts':
        'export function getForecast(city: string) {\n  return city;\n}\nconsole.log(getForecast("Oslo"));\n'
    });
    expect(out('src/tools/weather.ts')).toContain("days: { type: 'number', minimum: 1, maximum: 14 }");
  });

  it('stay when the handler gets no validator (it is not async), and the tool module is left as it was', async () => {
    const { out } = await dryRunProject({ 'src/index.ts': handler(''), 'src/tools/weather.ts': TOOL_MODULE });
    expect(out('src/index.ts')).not.toContain('= toolArgumentsValidator(');
    expect(out('src/tools/weather.ts')).toBe(TOOL_MODULE);
  });

  it('stay when the module serving the tool also calls the function itself', async () => {
    const calling = `${TOOL_MODULE}\nexport const warmUp = () => getForecast({ city: 'Paris' });\n`;
    const { out } = await dryRunProject({ 'src/index.ts': handler(), 'src/tools/weather.ts': calling });
    expect(out('src/tools/weather.ts')).toBe(calling);
  });
});
