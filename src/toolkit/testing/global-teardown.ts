// For jest's `globalTeardown: 'single-table-kit/testing/global-teardown'`.
import { globalTeardown } from './local-endpoint';

export default globalTeardown;
