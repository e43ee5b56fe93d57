export { analyzeStatement, partiqlKeySchemaOf, quoteIdentifier } from './analyze-statement';
export type { PartiqlKeySchema, StatementAccess, StatementAnalysis } from './analyze-statement';
export { checkStatement, executeStatement, executeStatementPage, batchExecute, executeTransaction, PartiqlStatementError, StatementFailedError } from './partiql-requests';
export type { PartiqlRequest, PartiqlOptions, PartiqlRule, StatementPageOptions, BatchStatementResult } from './partiql-requests';
