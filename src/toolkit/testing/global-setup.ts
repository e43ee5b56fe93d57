// For jest's `globalSetup: 'single-table-kit/testing/global-setup'`.
import { globalSetup } from './local-endpoint';

export default globalSetup;
