/**
 * The generated task-call module (fixtures/surface/mcp-task-calls.ts is the text the surface rewrite writes): a v1
 * task tool's call waits for the outcome its work stores, through whichever store stores it, and always answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { TASK_CALLS_MODULE_SOURCE, taskCallsModuleJs } from '../transforms/surface/mcp-task-calls.source.js';
import {
  CallTaskStore,
  runArgumentlessTaskToCompletion,
  runTaskToCompletion,
  type CreateTaskContext
} from '../fixtures/surface/mcp-task-calls.js';
import { FIXTURES } from './helpers/fixtures.js';

function context(signal = new AbortController().signal): ServerContext {
  return { mcpReq: { signal } } as unknown as ServerContext;
}

const later = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('generated task-call module', () => {
  it('is the module the fixtures type-check, and transpiles for JavaScript packages', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'surface/mcp-task-calls.ts'), 'utf8')).toBe(TASK_CALLS_MODULE_SOURCE);
    expect(taskCallsModuleJs()).toContain('export function runTaskToCompletion');
    expect(taskCallsModuleJs(true)).toContain('exports.runTaskToCompletion');
  });

  it('answers with the result the task stores later, through another store too', async () => {
    const shared = new CallTaskStore();
    const call = runTaskToCompletion<{ n: number }>({
      async createTask({ n }, { taskStore }) {
        const task = await taskStore.createTask({ ttl: 5_000 });
        setTimeout(
          () =>
            void shared.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: `${n * 2}` }] }),
          20
        );
        return { task };
      }
    });
    expect(await call({ n: 21 }, context())).toEqual({ content: [{ type: 'text', text: '42' }] });
  });

  it('answers a tool without an input schema, called with the context alone', async () => {
    const call = runArgumentlessTaskToCompletion({
      async createTask(ctx) {
        const task = await ctx.taskStore.createTask();
        setTimeout(
          () =>
            void ctx.taskStore.storeTaskResult(task.taskId, 'completed', {
              content: [{ type: 'text', text: 'snap-1' }]
            }),
          10
        );
        return { task };
      }
    });
    expect(await call(context())).toEqual({ content: [{ type: 'text', text: 'snap-1' }] });
  });

  it('answers a task that fails without a result with an error result carrying its status message', async () => {
    const call = runTaskToCompletion<object>({
      async createTask(_args, { taskStore }) {
        const task = await taskStore.createTask();
        setTimeout(() => void taskStore.updateTaskStatus(task.taskId, 'failed', 'upstream refused'), 10);
        return { task };
      }
    });
    expect(await call({}, context())).toEqual({ content: [{ type: 'text', text: 'upstream refused' }], isError: true });
  });

  it('answers a result stored before createTask returns', async () => {
    const call = runTaskToCompletion<object>({
      async createTask(_args, { taskStore }) {
        const task = await taskStore.createTask();
        await taskStore.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: 'at once' }] });
        return { task };
      }
    });
    expect(await call({}, context())).toEqual({ content: [{ type: 'text', text: 'at once' }] });
  });

  it('stops waiting when the task outlives its ttl, and drops a late result without throwing', async () => {
    let late: Promise<void> | undefined;
    const call = runTaskToCompletion<object>({
      async createTask(_args, { taskStore }) {
        const task = await taskStore.createTask({ ttl: 20 });
        late = later(60).then(() => taskStore.storeTaskResult(task.taskId, 'completed', { content: [] }));
        return { task };
      }
    });
    const answer = await call({}, context());
    expect(answer.isError).toBe(true);
    expect(answer.content).toEqual([{ type: 'text', text: expect.stringMatching(/did not finish within its ttl/) }]);
    await expect(late).resolves.toBeUndefined();
  });

  it('answers a cancelled call at once and forgets its task', async () => {
    const abort = new AbortController();
    let id = '';
    const store = new CallTaskStore();
    const call = runTaskToCompletion<object>({
      async createTask(_args, { taskStore }) {
        id = (await taskStore.createTask({ ttl: 5_000 })).taskId;
        setTimeout(() => abort.abort(), 10);
        return { task: (await taskStore.getTask(id))! };
      }
    });
    const answer = await call({}, context(abort.signal));
    expect(answer).toEqual({ content: [{ type: 'text', text: `task ${id} cancelled` }], isError: true });
    expect(await store.getTask(id)).toBeNull();
  });

  it('mints task ids of 128 random bits and hands createTask the call context with the task store', async () => {
    const seen: CreateTaskContext[] = [];
    const ids = new Set<string>();
    const call = runTaskToCompletion<object>({
      async createTask(_args, ctx) {
        seen.push(ctx);
        const task = await ctx.taskStore.createTask();
        ids.add(task.taskId);
        await ctx.taskStore.storeTaskResult(task.taskId, 'completed', { content: [] });
        return { task };
      }
    });
    const ctx = context();
    for (let i = 0; i < 20; i++) await call({}, ctx);
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[0]!.mcpReq).toBe(ctx.mcpReq);
    expect(seen[0]!.taskRequestedTtl).toBeUndefined();
  });

  it('lists the tasks of its own store only, as v1 code typed with its TaskStore asks', async () => {
    const a = new CallTaskStore();
    const b = new CallTaskStore();
    const ta = await a.createTask();
    await b.createTask();
    expect(await a.listTasks()).toEqual({ tasks: [expect.objectContaining({ taskId: ta.taskId, status: 'working' })] });
    a.cleanup();
    expect(await a.listTasks()).toEqual({ tasks: [] });
    b.cleanup();
  });

  it('cleanup drops the tasks of its own store only', async () => {
    const a = new CallTaskStore();
    const b = new CallTaskStore();
    const ta = await a.createTask();
    const tb = await b.createTask();
    a.cleanup();
    expect(await a.getTask(ta.taskId)).toBeNull();
    expect((await b.getTask(tb.taskId))?.status).toBe('working');
    b.cleanup();
  });
});
