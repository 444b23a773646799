import type { HostHttpRequest, HostHttpResponse } from '../services';
import { clientPayload } from './clientPayload';
import type { DurableEngine } from './engine';
import { DurableBadRequest, DurableConflict, DurableGone, DurableNotFound } from './engine';
import { EventType, EventTypeName, type HistoryEvent } from './history';
import { TERMINAL, type InstanceRecord } from './instanceStore';

/**
 * The Durable management HTTP API (durable-protocol B §9), served under both `/durabletask/` (rpc) and
 * `/runtime/webhooks/durabletask/`, with the extension's status codes.
 */
export async function handleManagementRequest(
  engine: DurableEngine,
  req: HostHttpRequest,
  origin: string,
): Promise<HostHttpResponse> {
  const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'orchestrators' && parts[1] && req.method === 'POST') {
      const input = req.bodyText.length > 0 ? parseJson(req.bodyText) : undefined;
      if (input === INVALID) return { status: 400, body: { message: 'Invalid JSON content' } };
      const id = await engine.startNew(parts[1], { instanceId: parts[2], input });
      return {
        status: 202,
        headers: { location: statusUrl(origin, engine, id) },
        body: checkStatus(origin, engine, id),
      };
    }
    if (parts[0] === 'entities' && parts[1] && parts[2] !== undefined)
      return await entity(engine, req, parts[1], parts[2]);
    if (parts[0] !== 'instances') return { status: 404, body: { message: `No management route for ${req.path}` } };
    const id = parts[1];
    if (!id) return req.method === 'DELETE' ? purgeBy(engine, req) : query(engine, req);
    if (parts.length === 2 && req.method === 'GET') return status(engine, id, req);
    if (parts.length === 2 && req.method === 'DELETE') {
      return (await engine.purge(id))
        ? { status: 200, body: { instancesDeleted: 1 } }
        : { status: 404, body: { instancesDeleted: 0 } };
    }
    if (parts[2] === 'raiseEvent' && parts[3] && req.method === 'POST') {
      const data = req.bodyText.length > 0 ? parseJson(req.bodyText) : null;
      if (data === INVALID)
        return { status: 400, body: { message: 'Only application/json request content is supported' } };
      await engine.raiseEvent(id, parts[3], data);
      return { status: 202 };
    }
    const reason = req.query.get('reason') ?? '';
    if (parts[2] === 'terminate' && req.method === 'POST') return await accepted(() => engine.terminate(id, reason));
    if (parts[2] === 'suspend' && req.method === 'POST')
      return await accepted(() => engine.setSuspended(id, true, reason));
    if (parts[2] === 'resume' && req.method === 'POST')
      return await accepted(() => engine.setSuspended(id, false, reason));
    if (parts[2] === 'rewind') return { status: 501, body: { message: 'Rewind is not supported by the local host.' } };
    return { status: 404, body: { message: `No management route for ${req.method} ${req.path}` } };
  } catch (error) {
    if (error instanceof DurableBadRequest) return { status: 400, body: { message: error.message } };
    if (error instanceof DurableNotFound) return { status: 404, body: { message: error.message } };
    if (error instanceof DurableConflict) return { status: 409, body: { message: error.message } };
    if (error instanceof DurableGone) return { status: 410, body: { message: error.message } };
    throw error;
  }
}

/** `entities/{name}/{key}`: GET reads the state (200 with the state's JSON, 404 if absent), POST `?op=` signals. */
async function entity(
  engine: DurableEngine,
  req: HostHttpRequest,
  name: string,
  key: string,
): Promise<HostHttpResponse> {
  if (req.method === 'GET') {
    const found = await engine.readEntityState(name, key);
    if (!found) return { status: 404, body: { message: `No entity with ID '@${name.toLowerCase()}@${key}' found.` } };
    return { status: 200, body: found.state ?? 'null' }; // the state's JSON text, sent as it is
  }
  if (req.method === 'POST') {
    if (req.bodyText.length > 0 && parseJson(req.bodyText) === INVALID)
      return { status: 400, body: { message: 'Only application/json request content is supported' } };
    await engine.signalEntity(name, key, req.query.get('op') ?? '', req.bodyText.length > 0 ? req.bodyText : null);
    return { status: 202 };
  }
  return { status: 405, body: { message: `${req.method} is not supported on entities.` } };
}

const INVALID = Symbol('invalid');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

async function accepted(run: () => Promise<void>): Promise<HostHttpResponse> {
  await run();
  return { status: 202 };
}

function statusUrl(origin: string, engine: DurableEngine, id: string): string {
  return String(
    (clientPayload(origin, engine.options.hubName)['managementUrls'] as Record<string, string>)['statusQueryGetUri'],
  ).replace('INSTANCEID', encodeURIComponent(id));
}

function checkStatus(origin: string, engine: DurableEngine, id: string): Record<string, string> {
  const urls = clientPayload(origin, engine.options.hubName)['managementUrls'] as Record<string, string>;
  return Object.fromEntries(
    Object.entries(urls).map(([k, v]) => [k, k === 'id' ? id : v.replace('INSTANCEID', encodeURIComponent(id))]),
  );
}

async function status(engine: DurableEngine, id: string, req: HostHttpRequest): Promise<HostHttpResponse> {
  const record = await engine.getInstance(id);
  if (!record) return { status: 404, body: { message: `No instance with ID '${id}' found.` } };
  const body = statusPayload(record, req.query.get('showInput') !== 'false');
  if (req.query.get('showHistory') === 'true') {
    const events = reshapeHistory(await engine.historyOf(record), req.query.get('showHistoryOutput') === 'true');
    body['historyEvents'] = events;
    body['history'] = events; // documented deviation: durable-js reads `history` (durable-js #620)
  }
  if (TERMINAL.has(record.status)) return { status: 200, body };
  return { status: 202, headers: { location: req.path, 'retry-after': '5' }, body };
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export function statusPayload(record: InstanceRecord, showInput = true): Record<string, unknown> {
  return {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.status,
    input: showInput ? record.input : null,
    customStatus: record.customStatus ?? null,
    output: record.output ?? null,
    createdTime: formatTime(record.createdTime),
    lastUpdatedTime: formatTime(record.lastUpdatedTime),
  };
}

/** The extension's display form of history (ext DurableClient.GetDurableOrchestrationStatusAsync). */
function reshapeHistory(history: HistoryEvent[], showOutput: boolean): Array<Record<string, unknown>> {
  const scheduled = new Map<number, HistoryEvent>();
  for (const e of history)
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated)
      scheduled.set(e.EventId, e);
  const completed = new Set(
    history.map((e) => e['TaskScheduledId'] as number | undefined).filter((v) => v !== undefined),
  );
  const out: Array<Record<string, unknown>> = [];
  for (const e of history) {
    if (e.EventType === EventType.OrchestratorStarted || e.EventType === EventType.OrchestratorCompleted) continue;
    if (
      (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated) &&
      completed.has(e.EventId)
    )
      continue;
    const { EventId: _id, IsPlayed: _played, TimerId: _timer, Name, Result, ...rest } = e;
    const shown: Record<string, unknown> = { ...rest, EventType: EventTypeName[e.EventType] ?? String(e.EventType) };
    if (Name !== undefined) shown[e.EventType === EventType.ExecutionStarted ? 'FunctionName' : 'Name'] = Name;
    const source = e['TaskScheduledId'] !== undefined ? scheduled.get(e['TaskScheduledId'] as number) : undefined;
    if (source) {
      shown['FunctionName'] = source['Name'];
      shown['ScheduledTime'] = source.Timestamp;
    }
    if (showOutput && typeof Result === 'string') shown['Result'] = parseLoose(Result);
    out.push(shown);
  }
  return out;
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function filterInstances(records: InstanceRecord[], req: HostHttpRequest): InstanceRecord[] {
  const from = req.query.get('createdTimeFrom');
  const to = req.query.get('createdTimeTo');
  const statuses = (req.query.get('runtimeStatus') ?? '').split(',').filter(Boolean);
  const prefix = req.query.get('instanceIdPrefix');
  return records
    .filter((r) => !from || Date.parse(r.createdTime) >= Date.parse(from))
    .filter((r) => !to || Date.parse(r.createdTime) <= Date.parse(to))
    .filter((r) => statuses.length === 0 || statuses.includes(r.status))
    .filter((r) => !prefix || r.instanceId.startsWith(prefix))
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
}

async function query(engine: DurableEngine, req: HostHttpRequest): Promise<HostHttpResponse> {
  const all = filterInstances(await engine.store.listInstances(), req);
  const top = Number(req.query.get('top') ?? 0);
  const offset = Number(req.headers['x-ms-continuation-token'] ?? 0) || 0;
  const page = top > 0 ? all.slice(offset, offset + top) : all.slice(offset);
  const nextOffset = offset + page.length;
  const headers: Record<string, string> =
    top > 0 && nextOffset < all.length ? { 'x-ms-continuation-token': String(nextOffset) } : {};
  return { status: 200, headers, body: page.map((r) => statusPayload(r, req.query.get('showInput') !== 'false')) };
}

async function purgeBy(engine: DurableEngine, req: HostHttpRequest): Promise<HostHttpResponse> {
  if (!req.query.get('createdTimeFrom')) return { status: 400, body: { message: 'createdTimeFrom is required.' } };
  const matching = filterInstances(await engine.store.listInstances(), req);
  let deleted = 0;
  for (const record of matching) if (await engine.purge(record.instanceId)) deleted++;
  return deleted > 0
    ? { status: 200, body: { instancesDeleted: deleted } }
    : { status: 404, body: { instancesDeleted: 0 } };
}
