const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

/** A .NET TimeSpan string (`[d.]hh:mm:ss`, as host.json and timer schedules write it) in milliseconds. */
export function parseTimeSpanMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME_SPAN.exec(value.trim());
  if (!m) return undefined;
  return (((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000;
}
