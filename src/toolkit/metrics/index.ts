export { EmfMetrics, emfLine, EMF_DIMENSIONS, type EmfMetricsOptions } from './emf-metrics';
export { validateEmfLine, CLOUDWATCH_UNITS } from './validate-emf';
