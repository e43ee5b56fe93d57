import { mapWithConcurrency, type SeedOptions } from 'single-table-kit';
import type { ProjectItem, Services, TaskItem } from './services';

export interface SeedData {
  projects: ProjectItem[];
  tasks: TaskItem[];
  assignees: string[];
}

/** `size` projects with 0-7 tasks each, written through the services; progress through onProgress. */
export async function seed(services: Services, { size, onProgress }: SeedOptions): Promise<SeedData> {
  const assignees = ['ada', 'grace', 'alan', 'barbara', 'edsger'];
  const projects = await mapWithConcurrency(Array.from({ length: size }, (_, i) => i), 4, (i) => services.createProject({ name: `Project ${i}` }), (done) => onProgress?.('projects', done, size));
  const plans = projects.flatMap((p, i) => Array.from({ length: i % 8 }, (_, k) => ({ p, k })));
  const tasks = await mapWithConcurrency(plans, 4, ({ p, k }) => services.addTask(p.projectId, { title: `Task ${k}`, assignee: assignees[k % assignees.length] as string }), (done) => onProgress?.('tasks', done, plans.length));
  return { projects, tasks, assignees };
}
