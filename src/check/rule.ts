/** What a check rule is: data a single matcher runs (see matcher.ts); the rules themselves are in rules.ts. */
import type { Severity } from '../types.js';

export interface Rule {
  id: string;
  severity: Severity;
  /** One line, shown with each finding. */
  message: string;
  /** What to do instead. */
  fix: string;
  /** The rewrite that does it for you, if one does. */
  automatedBy?: string;
  /** Where the spec says so. */
  spec: string;
  /** Global regex; a match is a finding. */
  pattern: RegExp;
  /** Match inside comments instead of code (markers). */
  inComments?: boolean;
  /** What else counts in this file's code (names the file gave the API: `import { X as v }`, `n = new v`). */
  filePattern?: (code: string) => RegExp | undefined;
  /** Only in files whose text also matches this (a RegExp, or any test of the text). */
  when?: { test(code: string): boolean };
  /** Drop a match when the text just before it matches this (e.g. the 2026 form `inputRequired.elicit(`). */
  notAfter?: RegExp;
  /** Drop matches inside string literals: a number named in prose (a tool description, a test title) is not a use. */
  notInStrings?: boolean;
  /** Drop matches inside `import { … }` / `export { … } from` lists: naming an API is not using it. */
  notInImports?: boolean;
  /** Keep a match of `match` only when the code around it (its line and the ones either side) says `context`. */
  onlyNear?: { match: RegExp; context: RegExp };
  /** Drop a match when its line or the line either side says this (a WebSocket's own `ping()` under a `readyState` test). */
  notNear?: RegExp;
  /**
   * Keep a match of `match` only when the object literal holding it (with the few words before its `{`: a type
   * annotation, the key it is the value of) says `context`: a protocol field named like a project's own argument.
   */
  onlyInObjectWith?: { match: RegExp; context: RegExp };
  /**
   * Drop a method name in a request declared as data (`const request = { method: 'sampling/createMessage', params }`)
   * that the code only asks as a 2026 input request (`inputRequired.createMessage(request.params)`), never sends.
   */
  notInInputRequest?: boolean;
  /** Drop a match in a block that ends the program's start-up instead of serving (a CLI's `--version` branch). */
  notInExitBranch?: boolean;
  /** Drop a match in a function that serves HTTP and never stdio (a request logger in a file with both entries). */
  notInHttpServing?: boolean;
  /** Drop a match inside the arguments of a logging call (`logger.error('failed', { sessionId: req.headers[…] })`). */
  notInLogging?: boolean;
  /** Drop a match in a client's pickup of a session id the server may send (see session-pickup.ts). */
  notInSessionPickup?: boolean;
  /**
   * Keep a match of this (an option's name written as a shorthand key, `{ taskStore }`) only inside braces: in a
   * call's arguments or an array (`notify(id, taskStore, server)`) it is a value handed on, not an option set.
   */
  shorthandOnlyInBraces?: RegExp;
  /** Drop a `.connect(` called on an instance of a project class with a connect of its own (see own-connect.ts). */
  notOnOwnConnect?: boolean;
  /**
   * Drop a match of this (a member: `.oninitialized =`) on a value the file declares only as an instance of a class
   * it imports from another package than the SDK (an MCP Apps `AppBridge`): that member is not the SDK's.
   */
  notOnForeignInstance?: RegExp;
  /** Drop a match of this (an option's name) inside a function's parameter list: a handler that destructures its
   * own context (`createTask(args, { taskStore })`) sets no option. */
  notInParameters?: RegExp;
  /**
   * Drop a match of this (an option's name as a key) where the code declares a shape instead of setting an option: a
   * type member or class field (`taskStore?: TaskStore;`, `private readonly taskStore: TaskStore;`) or a
   * destructuring (`const { taskStore } = opts`). The removed type such a member names is flagged where it is
   * imported, and the object that finally sets the option where it is built.
   */
  notInDeclarations?: RegExp;
  /** Drop a match whose balanced argument list contains this (e.g. `new Client(…)` that sets negotiation). */
  argsLack?: RegExp;
}
