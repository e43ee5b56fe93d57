import { NotFoundError, ValidationError } from 'single-table-kit';
import { collectPages, createModelFixture, patternsWithoutTests, type ModelFixture } from 'single-table-kit/testing';
import { model } from '../src/model';
import type { Services } from '../src/services';

/*
 * Every access pattern on a real DynamoDB (the embedded engine started by jest's
 * globalSetup): the right items, and exactly the requests the catalog declares.
 */
let f: ModelFixture<typeof model.catalog, Services>;
beforeAll(async () => {
  f = await createModelFixture(model);
});
afterAll(() => f.close());

describe('createProject', () => {
  it('writes a project that getProject then finds', async () => {
    const project = await f.expectPattern('createProject', () => f.services.createProject({ name: 'Apollo' }));
    expect(await f.expectPattern('getProject', () => f.services.getProject(project.projectId))).toEqual(project);
  });

  it('refuses a blank name with a typed error and writes nothing', async () => {
    const { result, requests } = await f.requestsOf(() => f.services.createProject({ name: ' ' }).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    expect((result as ValidationError).field).toBe('name');
    expect(requests).toEqual([]);
  });

  it('refuses a field it does not know, naming it', async () => {
    const input = { name: 'Apollo', owner: 'ada' } as unknown as { name: string };
    await expect(f.services.createProject(input)).rejects.toMatchObject({ code: 'VALIDATION', field: 'owner' });
  });
});

describe('getProject', () => {
  it('returns null for a project that does not exist', async () => {
    expect(await f.expectPattern('getProject', () => f.services.getProject('00000000-0000-0000-0000-000000000000'))).toBeNull();
  });
});

describe('addTask', () => {
  it('adds a task to an existing project only', async () => {
    const project = await f.services.createProject({ name: 'Gemini' });
    const task = await f.expectPattern('addTask', () => f.services.addTask(project.projectId, { title: 'Launch', assignee: 'ada' }));
    expect(task).toMatchObject({ projectId: project.projectId, title: 'Launch', status: 'open' });
    await expect(f.services.addTask('00000000-0000-0000-0000-000000000000', { title: 'x', assignee: 'ada' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses bad input with a typed error naming the field, and sends nothing', async () => {
    const project = await f.services.createProject({ name: 'Vostok' });
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => f.services.addTask('not-an-id', { title: 'x', assignee: 'ada' }), 'projectId', 'must be an id this service issued'],
      [() => f.services.addTask(project.projectId, { title: 'x'.repeat(501), assignee: 'ada' }), 'title', 'must be at most 500 characters'],
      [() => f.services.addTask(project.projectId, { title: 'x' } as { title: string; assignee: string }), 'assignee', 'must be a string'],
    ];
    for (const [call, field, rule] of cases) {
      const { result, requests } = await f.requestsOf(() => call().catch((e: unknown) => e));
      expect(result).toBeInstanceOf(ValidationError);
      expect(result).toMatchObject({ field, rule });
      expect(requests).toEqual([]);
    }
  });
});

describe('listProjectTasks', () => {
  it("pages through a project's tasks, each exactly once", async () => {
    const project = await f.services.createProject({ name: 'Mercury' });
    for (let i = 0; i < 7; i += 1) await f.services.addTask(project.projectId, { title: `T${i}`, assignee: 'grace' });
    const { items, pages } = await collectPages((cursor) => f.expectPattern('listProjectTasks', () => f.services.listProjectTasks(project.projectId, { limit: 3, cursor })));
    expect(items.map((t) => t.title).sort()).toEqual(['T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6']);
    expect(pages).toBe(3);
  });

  it("refuses a cursor from another project's listing", async () => {
    const [a, b] = [await f.services.createProject({ name: 'A' }), await f.services.createProject({ name: 'B' })];
    for (let i = 0; i < 3; i += 1) await f.services.addTask(a.projectId, { title: `a${i}`, assignee: 'alan' });
    const first = await f.services.listProjectTasks(a.projectId, { limit: 1 });
    await expect(f.services.listProjectTasks(b.projectId, { cursor: first.cursor })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
  });

  it('refuses a page size out of range or an unknown option, naming the field', async () => {
    const project = await f.services.createProject({ name: 'Voskhod' });
    await expect(f.services.listProjectTasks(project.projectId, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION', field: 'limit' });
    await expect(f.services.listProjectTasks(project.projectId, { limit: 2.5 })).rejects.toMatchObject({ code: 'VALIDATION', field: 'limit' });
    await expect(f.services.listProjectTasks(project.projectId, { limt: 5 } as { limit?: number })).rejects.toMatchObject({ code: 'VALIDATION', field: 'limt' });
  });
});

describe('listTasksByAssignee', () => {
  it("returns someone's tasks across projects, newest first", async () => {
    const assignee = `dev-${Date.now()}`;
    const p = await f.services.createProject({ name: 'Skylab' });
    const q = await f.services.createProject({ name: 'Shuttle' });
    await f.services.addTask(p.projectId, { title: 'first', assignee });
    await f.services.addTask(q.projectId, { title: 'second', assignee });
    const page = await f.expectPattern('listTasksByAssignee', () => f.services.listTasksByAssignee(assignee));
    expect(page.items.map((t) => t.title)).toEqual(['second', 'first']);
  });
});

describe('getBoard', () => {
  it('returns a project and its tasks with one Query', async () => {
    const project = await f.services.createProject({ name: 'Artemis' });
    await f.services.addTask(project.projectId, { title: 'Orbit', assignee: 'barbara' });
    const board = await f.expectPattern('getBoard', () => f.services.getBoard(project.projectId));
    expect(board?.project.name).toBe('Artemis');
    expect(board?.tasks.map((t) => t.title)).toEqual(['Orbit']);
  });
});

it('every catalog pattern has a test', () => {
  expect(patternsWithoutTests(model.catalog, __dirname)).toEqual([]);
});
