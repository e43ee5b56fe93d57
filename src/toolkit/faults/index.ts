export { FaultInjector } from './fault-injector';
export type { FaultKind, FaultRule, InjectedFault } from './fault-injector';
