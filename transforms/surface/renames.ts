/**
 * Names v2 changed (facts from the v2 migration guide). A symbol imported under its v1 name is imported under the
 * v2 name, and the file's references follow when it was not aliased.
 */
export const RENAMES: Record<string, string> = {
  McpError: 'ProtocolError',
  ErrorCode: 'ProtocolErrorCode',
  JSONRPCError: 'JSONRPCErrorResponse',
  JSONRPCErrorSchema: 'JSONRPCErrorResponseSchema',
  isJSONRPCError: 'isJSONRPCErrorResponse',
  // v1's JSONRPCResponse meant a result response; v2 widened the name to result | error.
  isJSONRPCResponse: 'isJSONRPCResultResponse',
  JSONRPCResponse: 'JSONRPCResultResponse',
  JSONRPCResponseSchema: 'JSONRPCResultResponseSchema',
  ResourceReference: 'ResourceTemplateReference',
  ResourceReferenceSchema: 'ResourceTemplateReferenceSchema',
  StreamableHTTPError: 'SdkHttpError'
};

/** v1's one handler-context type became one per side. */
export const CONTEXT_TYPE = { server: 'ServerContext', client: 'ClientContext' } as const;

/** Members of v1's ErrorCode that are not protocol errors in v2 but local SDK failures. */
export const SDK_ERROR_MEMBERS = new Set(['RequestTimeout', 'ConnectionClosed']);

/** v1 names of the web-standard `Headers`-like record: v2 uses the global `Headers`. */
export const GLOBAL_REPLACEMENTS: Record<string, string> = { IsomorphicHeaders: 'Headers' };
