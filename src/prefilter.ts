/**
 * Cheap text test run before any parsing: could this file need a rewrite? Most files in a real repository
 * never mention MCP, and skipping them without a parse is where most of the speed comes from.
 */
import { importsV1Sdk } from './sdk-imports.js';

const MCP_TEXT = /@modelcontextprotocol\//;

export function mayNeedMigration(text: string): boolean {
  return MCP_TEXT.test(text) || importsV1Sdk(text);
}
