import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity, Service, type EntityItem } from 'electrodb';
import { z } from 'zod';
import {
  bindPatterns,
  entityOf,
  getItem,
  NotFoundError,
  parseArguments,
  putItem,
  queryOnce,
  queryPage,
  shaper,
  transactWrite,
  TransactionCancelledError,
  withOptions,
  withoutEntityFilter,
  type Page,
  type RequestContext,
} from 'single-table-kit';
import { Project, Task } from './entities';

export type ProjectItem = EntityItem<typeof Project>;
export type TaskItem = EntityItem<typeof Task>;

/*
 * Every call's arguments go through parseArguments with a zod schema: bad input throws one
 * ValidationError naming each field and the rule it broke (`name: must not be empty`), before
 * any request is sent. Strict objects refuse fields they do not know, so a typo in an option
 * never silently does nothing.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const id = z.string({ error: 'must be a string' }).regex(UUID, 'must be an id this service issued');
const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const page = {
  limit: z.int({ error: 'must be a whole number' }).min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
  cursor: z.string({ error: 'must be a string' }).nullable().optional(),
};

// Built once: building a zod schema costs far more than checking a value with it.
const schemas = {
  createProject: z.strictObject({ name: text(200) }),
  getProject: z.strictObject({ projectId: id }),
  addTask: z.strictObject({ projectId: id, title: text(500), assignee: text(100) }),
  listProjectTasks: z.strictObject({ projectId: id, ...page }),
  listTasksByAssignee: z.strictObject({ assignee: text(100), ...page }),
  getBoard: z.strictObject({ projectId: id }),
};

export interface PageOptions {
  limit?: number;
  cursor?: string | null;
}

/** One method per access pattern, named after it; every request labelled with the pattern. */
export function createServices({ client, tableName }: { client: DynamoDBClient; tableName: string }) {
  const doc = DynamoDBDocumentClient.from(client);
  const config = { client: doc, table: tableName };
  const model = new Service({ project: new Entity(Project.schema, config), task: new Entity(Task.schema, config) }, config);
  const { project, task } = model.entities;
  const toProject = shaper<ProjectItem>(Project);
  const toTask = shaper<TaskItem>(Task);
  const ctx: RequestContext = { doc, tableKeyFields: ['PK', 'SK'] };

  return bindPatterns(ctx, {
    createProject: (ctx) => async (input: { name: string }): Promise<ProjectItem> => {
      const { name } = parseArguments(schemas.createProject, input);
      const item: ProjectItem = { projectId: randomUUID(), name, createdAt: new Date().toISOString() };
      await putItem(ctx, project.create(item).params());
      return item;
    },

    getProject: (ctx) => async (projectId: string): Promise<ProjectItem | null> => {
      const args = parseArguments(schemas.getProject, { projectId });
      const raw = await getItem(ctx, project.get(args).params());
      return raw ? toProject(raw) : null;
    },

    addTask: (ctx) => async (projectId: string, input: { title: string; assignee: string }): Promise<TaskItem> => {
      const args = parseArguments(schemas.addTask, withOptions({ projectId }, input));
      const item: TaskItem = { ...args, taskId: randomUUID(), status: 'open', createdAt: new Date().toISOString() };
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ project: p, task: t }) => [
              p.check({ projectId: item.projectId }).where((a, { exists }) => exists(a.projectId)).commit(),
              t.create(item).commit(),
            ])
            .params(),
        );
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.failed(0)) throw new NotFoundError('project', item.projectId);
        throw error;
      }
      return item;
    },

    listProjectTasks: (ctx) => async (projectId: string, options?: PageOptions): Promise<Page<TaskItem>> => {
      const { limit, cursor, ...key } = parseArguments(schemas.listProjectTasks, withOptions({ projectId }, options));
      const result = await queryPage(ctx, 'listProjectTasks', task.query.byProject(key).params(), { limit, cursor });
      return { items: result.raw.map(toTask), cursor: result.cursor };
    },

    listTasksByAssignee: (ctx) => async (assignee: string, options?: PageOptions): Promise<Page<TaskItem>> => {
      const { limit, cursor, ...key } = parseArguments(schemas.listTasksByAssignee, withOptions({ assignee }, options));
      const result = await queryPage(ctx, 'listTasksByAssignee', task.query.byAssignee(key).params({ order: 'desc' }), { limit, cursor });
      return { items: result.raw.map(toTask), cursor: result.cursor };
    },

    getBoard: (ctx) => async (projectId: string): Promise<{ project: ProjectItem; tasks: TaskItem[] } | null> => {
      const args = parseArguments(schemas.getBoard, { projectId });
      const raw = await queryOnce(ctx, withoutEntityFilter(model.collections.board(args).params()), 100);
      const head = raw.find((r) => entityOf(r) === 'project');
      if (!head) return null;
      return { project: toProject(head), tasks: raw.filter((r) => entityOf(r) === 'task').map(toTask) };
    },
  });
}

export type Services = ReturnType<typeof createServices>;
