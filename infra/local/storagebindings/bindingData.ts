import { randomUUID } from 'node:crypto';
import type { RpcTypedData } from '../functionsCore';

/**
 * The binding data of one invocation, as the Functions host builds it for binding expressions: the trigger's
 * metadata (QueueTrigger, DequeueCount, Id, ...), the properties of a JSON trigger payload (an activity's input, a
 * queue message), and for HTTP the route parameters, `Query` and `Headers`. Keys match case-insensitively.
 */
export function bindingDataOf(
  triggerData: RpcTypedData | undefined,
  triggerMetadata: Record<string, RpcTypedData> | undefined,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const http = triggerData?.http as
    | {
        nullableParams?: Record<string, { value: string }>;
        nullableQuery?: Record<string, { value: string }>;
        nullableHeaders?: Record<string, { value: string }>;
        body?: RpcTypedData;
      }
    | undefined;
  if (http) {
    const plain = (values: Record<string, { value: string }> | undefined) =>
      Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, v.value]));
    Object.assign(data, objectOf(http.body));
    data['Query'] = plain(http.nullableQuery);
    data['Headers'] = plain(http.nullableHeaders);
    Object.assign(data, plain(http.nullableParams));
  } else {
    Object.assign(data, objectOf(triggerData));
  }
  for (const [key, value] of Object.entries(triggerMetadata ?? {})) data[key] = valueOf(value);
  return data;
}

function valueOf(data: RpcTypedData | undefined): unknown {
  if (!data) return undefined;
  if (data.json !== undefined) return JSON.parse(data.json);
  if (data.string !== undefined) return data.string;
  if (data.int !== undefined) return Number(data.int);
  if (data.double !== undefined) return Number(data.double);
  return undefined;
}

function objectOf(data: RpcTypedData | undefined): Record<string, unknown> {
  let value = valueOf(data);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (data?.bytes !== undefined) {
    try {
      value = JSON.parse(Buffer.from(data.bytes).toString('utf8'));
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An expression with no value, which fails the invocation as in Azure. */
export class BindingExpressionError extends Error {}

/**
 * Resolves `%AppSetting%` and `{expression}` in a binding property (a blob path, a queue name): trigger data by
 * (dotted, case-insensitive) name, and the system expressions `{rand-guid}`, `{DateTime}`, `{sys.randguid}` and
 * `{sys.utcnow}`.
 */
export function resolveBindingExpression(template: string, data: Record<string, unknown>, now: Date): string {
  const withSettings = template.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new BindingExpressionError(`The app setting '${name}' in '${template}' is not set.`);
    return value;
  });
  return withSettings.replace(/\{([^{}]+)\}/g, (_, raw: string) => {
    const expression = raw.trim();
    switch (expression.toLowerCase()) {
      case 'rand-guid':
      case 'sys.randguid':
        return randomUUID();
      case 'datetime':
        return now
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z')
          .replace(/:/g, '-');
      case 'sys.utcnow':
        return now.toISOString();
    }
    let value: unknown = data;
    for (const part of expression.split('.')) {
      if (!value || typeof value !== 'object') {
        value = undefined;
        break;
      }
      const record = value as Record<string, unknown>;
      const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
      value = key === undefined ? undefined : record[key];
    }
    if (value === undefined || value === null || typeof value === 'object')
      throw new BindingExpressionError(`No value for named parameter '${expression}' (in '${template}').`);
    return String(value);
  });
}

/** Does a binding (other than the trigger) use trigger data, so the invocation must collect it? */
export function usesBindingData(bindings: Record<string, Record<string, unknown>>, triggerKey: string): boolean {
  return Object.entries(bindings).some(
    ([key, binding]) =>
      key !== triggerKey && Object.values(binding).some((v) => typeof v === 'string' && /\{[^{}]+\}/.test(v)),
  );
}
