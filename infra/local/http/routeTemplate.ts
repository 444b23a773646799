/**
 * ASP.NET Core route templates as the Functions host matches them: literals (case-insensitive),
 * `{name}`, constraints `{id:int}`, optional `{id?}`, defaults `{id=5}` and catch-all `{*rest}`.
 */
interface Segment {
  literal?: string;
  param?: { name: string; constraints: string[]; optional: boolean; defaultValue?: string; catchAll: boolean };
}

export interface RouteTemplate {
  readonly template: string;
  match(path: string): Record<string, string> | undefined;
  /** As match, on a path already split into decoded parts (once per request, not once per route). */
  matchParts(path: RequestPath): Record<string, string> | undefined;
}

/** A request path split at '/' (empty parts dropped), each part percent-decoded, and lower-cased for literals. */
export interface RequestPath {
  decoded: string[];
  lower: string[];
}

export function requestPath(path: string): RequestPath {
  const decoded = path
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  return { decoded, lower: decoded.map((part) => part.toLowerCase()) };
}

const constraintChecks: Record<string, (value: string, arg?: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v),
  long: (v) => /^-?\d+$/.test(v),
  guid: (v) => /^[{(]?[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}[)}]?$/i.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  datetime: (v) => !Number.isNaN(Date.parse(v)),
  decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  double: (v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v),
  float: (v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v),
  alpha: (v) => /^[a-z]+$/i.test(v),
  min: (v, a) => Number(v) >= Number(a),
  max: (v, a) => Number(v) <= Number(a),
  range: (v, a) => {
    const [lo, hi] = (a ?? '').split(',').map(Number);
    return Number(v) >= (lo ?? -Infinity) && Number(v) <= (hi ?? Infinity);
  },
  length: (v, a) => {
    const parts = (a ?? '').split(',').map(Number);
    return parts.length === 2
      ? v.length >= (parts[0] ?? 0) && v.length <= (parts[1] ?? Infinity)
      : v.length === parts[0];
  },
  minlength: (v, a) => v.length >= Number(a),
  maxlength: (v, a) => v.length <= Number(a),
  regex: (v, a) => new RegExp(a ?? '', 'i').test(v),
};

function parseSegment(text: string): Segment {
  const m = /^\{(\*{1,2})?([^}:=?]+)((?::[^:=?}]+(?:\([^)]*\))?)*)(\?)?(?:=([^}]*))?\}$/.exec(text);
  if (!m) return { literal: text.toLowerCase() };
  const constraints = (m[3] ?? '').split(':').filter(Boolean);
  return {
    param: { name: m[2] ?? '', constraints, optional: Boolean(m[4]), defaultValue: m[5], catchAll: Boolean(m[1]) },
  };
}

function satisfies(value: string, constraints: string[]): boolean {
  return constraints.every((c) => {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(c);
    const check = m ? constraintChecks[(m[1] ?? '').toLowerCase()] : undefined;
    return check ? check(value, m?.[2]) : true;
  });
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const segments = template
    .split('/')
    .filter((s) => s.length > 0)
    .map(parseSegment);
  const matchParts = ({ decoded: parts, lower }: RequestPath) => {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as Segment;
      const part = parts[i];
      if (segment.literal !== undefined) {
        if (part === undefined || lower[i] !== segment.literal) return undefined;
        continue;
      }
      const p = segment.param!;
      if (p.catchAll) {
        const rest = parts.slice(i).join('/');
        if (rest) params[p.name] = rest;
        else if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
        return params;
      }
      if (part === undefined) {
        if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
        else if (!p.optional) return undefined;
        continue;
      }
      if (!satisfies(part, p.constraints)) return undefined;
      params[p.name] = part;
    }
    return parts.length > segments.length ? undefined : params;
  };
  return { template, matchParts, match: (path: string) => matchParts(requestPath(path)) };
}
