import { defineCatalog } from 'single-table-kit';

/** Every access pattern, declared once: the service method's name, the test's name, the docs row. */
export const catalog = defineCatalog([
  {
    name: 'createProject',
    kind: 'write',
    description: 'Create a project.',
    entities: ['project'],
    requests: [{ operation: 'PutItem', index: 'table', key: 'PK = projectId (must not exist)' }],
  },
  {
    name: 'getProject',
    kind: 'read',
    description: 'Get a project by id.',
    entities: ['project'],
    requests: [{ operation: 'GetItem', index: 'table', key: 'PK = projectId, SK = project' }],
  },
  {
    name: 'addTask',
    kind: 'write',
    description: 'Add a task to an existing project, in one transaction with a check that the project exists.',
    entities: ['task', 'project'],
    requests: [{ operation: 'TransactWriteItems', index: 'table', key: 'ConditionCheck project exists + Put task (must not exist)' }],
  },
  {
    name: 'listProjectTasks',
    kind: 'read',
    paged: true,
    description: "A project's tasks, one page at a time.",
    entities: ['task'],
    requests: [{ operation: 'Query', index: 'table', key: 'PK = projectId, SK begins_with task', keyConditions: ['pk = ? and begins_with(sk, ?)'] }],
  },
  {
    name: 'listTasksByAssignee',
    kind: 'read',
    paged: true,
    description: "Someone's tasks across projects, newest first.",
    entities: ['task'],
    requests: [{ operation: 'Query', index: 'GSI1', key: 'GSI1PK = assignee, GSI1SK begins_with task', keyConditions: ['gsi1pk = ? and begins_with(gsi1sk, ?)'] }],
  },
  {
    name: 'getBoard',
    kind: 'read',
    description: 'A project with its first tasks: one collection query.',
    entities: ['project', 'task'],
    requests: [{ operation: 'Query', index: 'table', key: 'PK = projectId, SK begins_with board', keyConditions: ['pk = ? and begins_with(sk, ?)'] }],
  },
]);
