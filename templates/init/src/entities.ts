import { Entity } from 'electrodb';

/*
 * Two entities in one table. Key attributes are named PK/SK/GSI1PK/GSI1SK: the toolkit derives
 * the table from whatever the entities say. A project and its tasks share a partition (the
 * `board` collection), so one Query returns both.
 */

export const Project = new Entity({
  model: { entity: 'project', version: '1', service: 'tasks' },
  attributes: {
    projectId: { type: 'string', required: true },
    name: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    // getProject, getBoard
    byId: { collection: 'board', pk: { field: 'PK', composite: ['projectId'] }, sk: { field: 'SK', composite: [] } },
  },
});

export const Task = new Entity({
  model: { entity: 'task', version: '1', service: 'tasks' },
  attributes: {
    projectId: { type: 'string', required: true },
    taskId: { type: 'string', required: true },
    title: { type: 'string', required: true },
    assignee: { type: 'string', required: true },
    status: { type: ['open', 'done'] as const, required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    // listProjectTasks, getBoard
    byProject: { collection: 'board', pk: { field: 'PK', composite: ['projectId'] }, sk: { field: 'SK', composite: ['taskId'] } },
    // listTasksByAssignee: newest first; taskId makes the sort key total
    byAssignee: { index: 'GSI1', pk: { field: 'GSI1PK', composite: ['assignee'] }, sk: { field: 'GSI1SK', composite: ['createdAt', 'taskId'] } },
  },
});

export const entities = [Project, Task];
