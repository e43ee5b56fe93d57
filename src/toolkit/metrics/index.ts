export { EmfMetrics, emfLine, aggregateLine, syncLineWriter, MAX_EMF_VALUES, EMF_DIMENSIONS, type EmfMetricsOptions, type SyncWriterOptions, type EmfAggregate } from './emf-metrics';
export { metricsIngestionCost, CLOUDWATCH_LOGS_US_EAST_1, type LogsPriceTable, type MetricsCost } from './metrics-cost';
export { validateEmfLine, CLOUDWATCH_UNITS } from './validate-emf';
