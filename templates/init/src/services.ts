import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity, Service, type EntityItem } from 'electrodb';
import {
  bindPatterns,
  entityOf,
  getItem,
  NotFoundError,
  putItem,
  queryOnce,
  queryPage,
  shaper,
  transactWrite,
  TransactionCancelledError,
  ValidationError,
  withoutEntityFilter,
  type Page,
  type RequestContext,
} from 'single-table-kit';
import { Project, Task } from './entities';

export type ProjectItem = EntityItem<typeof Project>;
export type TaskItem = EntityItem<typeof Task>;

const ID = /^[0-9a-f-]{36}$/;

function text(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError([{ field, rule: 'must be a non-empty string' }]);
  if (value.length > max) throw new ValidationError([{ field, rule: `must be at most ${max} characters` }]);
  return value.trim();
}

function id(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) throw new ValidationError([{ field, rule: 'must be an id this service issued' }]);
  return value;
}

function page(options: { limit?: unknown; cursor?: unknown } | undefined): { limit?: number; cursor?: string | null } {
  const { limit, cursor, ...rest } = options ?? {};
  const unknown = Object.keys(rest)[0];
  if (unknown) throw new ValidationError([{ field: unknown, rule: 'is not an option of this call' }]);
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 100)) throw new ValidationError([{ field: 'limit', rule: 'must be a whole number from 1 to 100' }]);
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') throw new ValidationError([{ field: 'cursor', rule: 'must be a string' }]);
  return { limit: limit as number | undefined, cursor: cursor as string | null | undefined };
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
      const item: ProjectItem = { projectId: randomUUID(), name: text('name', input?.name, 200), createdAt: new Date().toISOString() };
      await putItem(ctx, project.create(item).params());
      return item;
    },

    getProject: (ctx) => async (projectId: string): Promise<ProjectItem | null> => {
      const raw = await getItem(ctx, project.get({ projectId: id('projectId', projectId) }).params());
      return raw ? toProject(raw) : null;
    },

    addTask: (ctx) => async (projectId: string, input: { title: string; assignee: string }): Promise<TaskItem> => {
      const item: TaskItem = {
        projectId: id('projectId', projectId),
        taskId: randomUUID(),
        title: text('title', input?.title, 500),
        assignee: text('assignee', input?.assignee, 100),
        status: 'open',
        createdAt: new Date().toISOString(),
      };
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

    listProjectTasks: (ctx) => async (projectId: string, options?: { limit?: number; cursor?: string | null }): Promise<Page<TaskItem>> => {
      const params = task.query.byProject({ projectId: id('projectId', projectId) }).params();
      const result = await queryPage(ctx, 'listProjectTasks', params, page(options));
      return { items: result.raw.map(toTask), cursor: result.cursor };
    },

    listTasksByAssignee: (ctx) => async (assignee: string, options?: { limit?: number; cursor?: string | null }): Promise<Page<TaskItem>> => {
      const params = task.query.byAssignee({ assignee: text('assignee', assignee, 100) }).params({ order: 'desc' });
      const result = await queryPage(ctx, 'listTasksByAssignee', params, page(options));
      return { items: result.raw.map(toTask), cursor: result.cursor };
    },

    getBoard: (ctx) => async (projectId: string): Promise<{ project: ProjectItem; tasks: TaskItem[] } | null> => {
      const raw = await queryOnce(ctx, withoutEntityFilter(model.collections.board({ projectId: id('projectId', projectId) }).params()), 100);
      const head = raw.find((r) => entityOf(r) === 'project');
      if (!head) return null;
      return { project: toProject(head), tasks: raw.filter((r) => entityOf(r) === 'task').map(toTask) };
    },
  });
}

export type Services = ReturnType<typeof createServices>;
