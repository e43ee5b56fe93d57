import type { PatternName, PatternRunners } from 'single-table-kit';
import type { catalog } from './catalog';
import type { Services } from './services';
import type { SeedData } from './seed';

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** One representative call per pattern over the seed; the compiler insists on every pattern. */
export function runners(services: Services, data: SeedData): PatternRunners<PatternName<typeof catalog>> {
  const busy = data.projects.filter((_, i) => i % 8 > 0);
  return {
    createProject: async (i) => () => services.createProject({ name: `Runner ${i}` }),
    getProject: async (i) => () => services.getProject(at(data.projects, i).projectId),
    addTask: async (i) => () => services.addTask(at(data.projects, i).projectId, { title: `Runner task ${i}`, assignee: at(data.assignees, i) }),
    listProjectTasks: async (i) => () => services.listProjectTasks(at(busy, i).projectId, { limit: 5 }),
    listTasksByAssignee: async (i) => () => services.listTasksByAssignee(at(data.assignees, i), { limit: 10 }),
    getBoard: async (i) => () => services.getBoard(at(busy, i).projectId),
  };
}
