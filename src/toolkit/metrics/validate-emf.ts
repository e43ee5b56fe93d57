/*
 * The CloudWatch Embedded Metric Format specification, as checks on one line:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export const CLOUDWATCH_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

const MAX_DIMENSIONS_PER_SET = 30;
const MAX_METRICS_PER_DIRECTIVE = 100;
const MAX_VALUES_PER_METRIC = 100;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Violations of the EMF specification in one line; empty when the line is valid. */
export function validateEmfLine(line: string): string[] {
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch {
    return ['not a JSON document'];
  }
  if (!isObject(root)) return ['the root must be a JSON object'];
  const aws = root._aws;
  if (!isObject(aws)) return ['_aws: required object'];
  const errors: string[] = [];
  const ts = aws.Timestamp;
  if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < 0) errors.push('_aws.Timestamp: must be a non-negative integer (epoch milliseconds)');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) return [...errors, '_aws.CloudWatchMetrics: required array of metric directives'];
  directives.forEach((directive: unknown, d) => {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) {
      errors.push(`${at}: must be an object`);
      return;
    }
    const ns = directive.Namespace;
    if (typeof ns !== 'string' || ns.length < 1 || ns.length > 255) errors.push(`${at}.Namespace: required string of 1 to 255 characters`);
    const sets = directive.Dimensions;
    if (!Array.isArray(sets)) errors.push(`${at}.Dimensions: required array of dimension sets`);
    else {
      sets.forEach((set: unknown, s) => {
        if (!Array.isArray(set)) return void errors.push(`${at}.Dimensions[${s}]: must be an array of dimension names`);
        if (set.length > MAX_DIMENSIONS_PER_SET) errors.push(`${at}.Dimensions[${s}]: more than ${MAX_DIMENSIONS_PER_SET} dimensions`);
        for (const name of set) {
          if (typeof name !== 'string') errors.push(`${at}.Dimensions[${s}]: dimension names must be strings`);
          else if (typeof root[name] !== 'string' || (root[name] as string).length === 0) errors.push(`dimension ${name}: the root member must be a non-empty string`);
        }
      });
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) return void errors.push(`${at}.Metrics: required array of metric definitions`);
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) errors.push(`${at}.Metrics: more than ${MAX_METRICS_PER_DIRECTIVE} metrics`);
    metrics.forEach((metric: unknown, m) => {
      const mat = `${at}.Metrics[${m}]`;
      if (!isObject(metric)) return void errors.push(`${mat}: must be an object`);
      const name = metric.Name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 1024) return void errors.push(`${mat}.Name: required string of 1 to 1024 characters`);
      if (metric.Unit !== undefined && (typeof metric.Unit !== 'string' || !CLOUDWATCH_UNITS.has(metric.Unit))) errors.push(`${mat}.Unit: ${String(metric.Unit)} is not a CloudWatch unit`);
      if (metric.StorageResolution !== undefined && metric.StorageResolution !== 1 && metric.StorageResolution !== 60) errors.push(`${mat}.StorageResolution: must be 1 or 60`);
      const value = root[name];
      const numbers = Array.isArray(value) ? value : [value];
      if (value === undefined) errors.push(`metric ${name}: the root member is missing`);
      else if (numbers.length > MAX_VALUES_PER_METRIC) errors.push(`metric ${name}: more than ${MAX_VALUES_PER_METRIC} values`);
      else if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) errors.push(`metric ${name}: the root member must be a number or an array of numbers`);
    });
  });
  return errors;
}
