// The operator page: one Work Order, its balances, its timeline and every clock on one time axis. It calls only the
// public API, as the person using it (locally a principal picker; in Azure the Easy Auth session).
import { h, render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import htm from 'htm';
import { api, detectIdentity, type Identity } from './api';
import { Axis } from './axis';
import type { Deadline, Explanation, WorkOrder } from './types';

const html = htm.bind(h);

const ROLES = ['Provider.Csam', 'Customer.Manager', 'Customer.Reader'];
const DUE_SOON_MS = 24 * 3_600_000;

let displayZone = 'UTC';

/** An instant in the Work Order's host time zone, e.g. "2027-03-08 10:20 Europe/Amsterdam". */
function formatAt(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: displayZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${displayZone}`;
}

function PrincipalPicker(props: { identity: Identity; onChange: (i: Identity) => void }) {
  const { identity } = props;
  if (identity.mode === 'easyAuth') return html`<p class="muted">Signed in as ${identity.name ?? 'you'}</p>`;
  if (identity.mode !== 'local') return null;
  return html`<form class="row" aria-label="Who you are (local host)" onSubmit=${(e: Event) => e.preventDefault()}>
    <label
      >Role
      <select
        name="role"
        value=${identity.roles[0]}
        onChange=${(e: Event) => props.onChange({ ...identity, roles: [(e.target as HTMLSelectElement).value] })}
      >
        ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
    </label>
    <label
      >Customer
      <input
        name="customerId"
        value=${identity.customerId}
        size="10"
        onChange=${(e: Event) => props.onChange({ ...identity, customerId: (e.target as HTMLInputElement).value })}
      />
    </label>
  </form>`;
}

function ExplanationView(props: { deadline: Deadline | null }) {
  const d = props.deadline;
  if (!d)
    return html`<section class="panel explanation" aria-live="polite" id="explanation">
      <h2>Explanation</h2>
      <p class="muted">Choose a deadline on the axis or in the list to read why it falls when it does.</p>
    </section>`;
  const e: Explanation = d.explanation;
  return html`<section class="panel explanation" aria-live="polite" id="explanation" tabindex="-1">
    <h2>${d.label}</h2>
    <p>
      <span class=${`badge state-${d.state}`}>${d.state}</span> ${formatAt(d.at)} · rule <strong>${d.rule}</strong> ·
      lifecycle <code>${d.lifecycleId}</code>
    </p>
    <p class="text" data-testid="explanation-text">${e.text}</p>
    <p class="muted">Rules: ${e.rules.join(', ')}</p>
    ${
      e.candidates?.length
        ? html`<h3>Candidates</h3>
            <table>
              <thead>
                <tr>
                  <th>Plan</th>
                  <th>Target</th>
                  <th>Due</th>
                  <th>Chosen</th>
                </tr>
              </thead>
              <tbody>
                ${e.candidates.map(
                  (c) =>
                    html`<tr>
                      <td>${c.plan}</td>
                      <td>${c.targetMinutes} min (${c.clock})</td>
                      <td>${formatAt(c.dueAt)}</td>
                      <td>${c.chosen ? 'yes' : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : null
    }
    ${
      e.skipped?.length
        ? html`<h3>Skipped</h3>
            <ul>
              ${e.skipped.map(
                (s) => html`<li>${formatAt(s.from)} – ${formatAt(s.to)}: ${s.why}${s.name ? ` (${s.name})` : ''}</li>`,
              )}
            </ul>`
        : null
    }
    ${
      e.history?.length
        ? html`<h3>History</h3>
            <ul>
              ${e.history.map((x) => html`<li>${formatAt(x.at)} ${x.cause} (${x.rule}) → due ${formatAt(x.dueAt)}</li>`)}
            </ul>`
        : null
    }
  </section>`;
}

function Balances(props: { wo: WorkOrder }) {
  const { wo } = props;
  return html`<section class="panel" aria-labelledby="balances-h">
    <h2 id="balances-h">Balances</h2>
    <table aria-label="Proactive Credits per country">
      <thead>
        <tr>
          <th>Country</th>
          <th>Credits</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(wo.creditBalances).map(
          ([c, v]) =>
            html`<tr>
              <td>${c}</td>
              <td>${v}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h3>Entitlements</h3>
    <table aria-label="Entitlements">
      <thead>
        <tr>
          <th>Service</th>
          <th>Purchased</th>
          <th>Reserved</th>
          <th>Consumed</th>
          <th>Remaining</th>
        </tr>
      </thead>
      <tbody>
        ${wo.entitlements.map(
          (e) =>
            html`<tr>
              <td>${e.serviceCode}</td>
              <td>${e.purchased ?? '—'} ${e.unit}</td>
              <td>${e.reserved}</td>
              <td>${e.consumed}</td>
              <td>${e.remaining ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h3>Flex years</h3>
    <table aria-label="Flex years">
      <thead>
        <tr>
          <th>Year</th>
          <th>Period</th>
          <th>Allocated</th>
          <th>Forfeited</th>
        </tr>
      </thead>
      <tbody>
        ${wo.flexPeriods.map(
          (p) =>
            html`<tr>
              <td>${p.year}</td>
              <td>${p.start} – ${p.end}</td>
              <td>${p.allocated}</td>
              <td>${p.forfeited}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function WhatIf(props: { identity: Identity; wo: WorkOrder }) {
  const [answer, setAnswer] = useState<{
    firstResponse: { dueAt: string; plan: string; targetMinutes: number; explanation: Explanation };
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const local = String(form.get('openedAt'));
    const body = {
      workOrderId: props.wo.id,
      openedAt: new Date(local).toISOString(),
      severity: String(form.get('severity')),
      product: { family: String(form.get('family')), service: String(form.get('service')) },
      channel: String(form.get('channel')),
      location: String(form.get('location')),
      description: String(form.get('description') ?? ''),
    };
    setError(null);
    try {
      setAnswer(await api(props.identity, 'POST', '/api/what-if/first-response', body));
    } catch (e) {
      setAnswer(null);
      setError((e as Error).message);
    }
  };
  const locations = [props.wo.host.country, ...props.wo.downstream.map((d) => d.country)];
  return html`<section class="panel" aria-labelledby="whatif-h">
    <h2 id="whatif-h">What if an incident opened…</h2>
    <form class="row" onSubmit=${submit}>
      <label>Opened at <input name="openedAt" type="datetime-local" required value="2027-03-05T16:50" /></label>
      <label
        >Severity
        <select name="severity">
          ${['1', 'A', 'B', 'C'].map((s) => html`<option value=${s} selected=${s === 'B'}>${s}</option>`)}
        </select></label
      >
      <label>Product family <input name="family" value="Azure" size="8" /></label>
      <label>Service <input name="service" value="Azure SQL Database" size="16" /></label>
      <label
        >Channel
        <select name="channel">
          ${['phone', 'web', 'email', 'azurePortal'].map((c) => html`<option value=${c}>${c}</option>`)}
        </select></label
      >
      <label
        >Location
        <select name="location">
          ${locations.map((c) => html`<option value=${c}>${c}</option>`)}
        </select></label
      >
      <label>Description <input name="description" value="" size="12" /></label>
      <button type="submit">Ask</button>
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      answer
        ? html`<div aria-live="polite" data-testid="whatif-answer">
            <p>
              <strong>Due ${formatAt(answer.firstResponse.dueAt)}</strong> under ${answer.firstResponse.plan}
              (${answer.firstResponse.targetMinutes} min)
            </p>
            <p class="text">${answer.firstResponse.explanation.text}</p>
          </div>`
        : null
    }
  </section>`;
}

type Filter = 'all' | 'breached' | 'dueSoon';
type Span = 'term' | 'week' | 'day';
const SPANS: Array<[Span, string, number]> = [
  ['term', 'Whole term', 0],
  ['week', 'Week around now', 3.5 * 86_400_000],
  ['day', 'Day around now', 12 * 3_600_000],
];

function App() {
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [list, setList] = useState<WorkOrder[]>([]);
  const [woId, setWoId] = useState<string>(new URLSearchParams(location.search).get('workOrder') ?? '');
  const [wo, setWo] = useState<WorkOrder | null>(null);
  const [timeline, setTimeline] = useState<Array<{ at: string; kind: string; rule?: string; detail: string }>>([]);
  const [deadlines, setDeadlines] = useState<Deadline[]>([]);
  const [now, setNow] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [span, setSpan] = useState<Span>('term');
  const [selected, setSelected] = useState<Deadline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadedIn, setLoadedIn] = useState<number | null>(null);

  useEffect(() => {
    void detectIdentity().then(setIdentity);
  }, []);

  useEffect(() => {
    if (!identity || identity.mode === 'signedOut') return;
    const csam = identity.mode === 'local' && identity.roles.includes('Provider.Csam');
    const query = identity.mode === 'local' && !csam ? `?customerId=${encodeURIComponent(identity.customerId)}` : '';
    api<{ items: WorkOrder[] }>(identity, 'GET', `/api/work-orders${query}${query ? '&' : '?'}limit=100`)
      .then((page) => setList(page.items))
      .catch((e: Error) => setError(e.message));
  }, [identity]);

  useEffect(() => {
    if (!identity || !woId) return;
    const started = performance.now();
    setError(null);
    setSelected(null);
    const id = encodeURIComponent(woId);
    const all: Deadline[] = [];
    const deadlinesFrom = async (token: string | null): Promise<void> => {
      const page = await api<{ items: Deadline[]; continuationToken: string | null; now: string }>(
        identity,
        'GET',
        `/api/work-orders/${id}/deadlines?limit=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
      );
      all.push(...page.items);
      setNow(page.now);
      if (page.continuationToken) await deadlinesFrom(page.continuationToken);
    };
    Promise.all([
      api<WorkOrder>(identity, 'GET', `/api/work-orders/${id}`),
      api<{ items: Array<{ at: string; kind: string; rule?: string; detail: string }> }>(
        identity,
        'GET',
        `/api/work-orders/${id}/timeline?limit=200`,
      ),
      deadlinesFrom(null),
    ])
      .then(([w, t]) => {
        displayZone = w.host.timeZone;
        setWo(w);
        setTimeline(t.items);
        setDeadlines(all);
        history.replaceState(null, '', `?workOrder=${id}`);
        requestAnimationFrame(() => {
          const ms = Math.round(performance.now() - started);
          setLoadedIn(ms);
          document.body.dataset['loadedMs'] = String(ms);
        });
      })
      .catch((e: Error) => {
        setWo(null);
        setError(e.message);
      });
  }, [identity, woId]);

  const nowMs = now ? Date.parse(now) : Date.now();
  const shown = useMemo(
    () =>
      deadlines.filter((d) =>
        filter === 'all'
          ? true
          : filter === 'breached'
            ? d.state === 'breached'
            : d.state === 'due' && Date.parse(d.at) >= nowMs && Date.parse(d.at) - nowMs <= DUE_SOON_MS,
      ),
    [deadlines, filter, nowMs],
  );

  const choose = (d: Deadline) => {
    setSelected(d);
    requestAnimationFrame(() => document.getElementById('explanation')?.focus());
  };

  if (!identity) return html`<p class="loading">Loading…</p>`;
  if (identity.mode === 'signedOut')
    return html`<p class="loading">
      You are signed out. <a href="/.auth/login/aad?post_login_redirect_uri=/api/ui">Sign in</a>
    </p>`;

  return html`<header class="top">
      <h1>Unified Support lifecycles</h1>
      <form
        class="row"
        role="search"
        onSubmit=${(e: Event) => {
          e.preventDefault();
          setWoId(String(new FormData(e.target as HTMLFormElement).get('workOrder') ?? '').trim());
        }}
      >
        <label
          >Work Order
          <input name="workOrder" list="work-orders" value=${woId} size="38" placeholder="Work Order id" />
        </label>
        <datalist id="work-orders">
          ${list.map((w) => html`<option value=${w.id}>${w.number} · ${w.customerId}</option>`)}
        </datalist>
        <button type="submit">Open</button>
      </form>
      <${PrincipalPicker} identity=${identity} onChange=${setIdentity} />
    </header>
    <main>
      ${error ? html`<p class="error wide" role="alert">${error}</p>` : null}
      ${
        !wo
          ? html`<section class="panel wide">
              <h2>Find a Work Order</h2>
              <ul>
                ${list.map(
                  (w) =>
                    html`<li>
                      <button class="secondary" onClick=${() => setWoId(w.id)}>${w.number}</button> ${w.customerId} ·
                      ${w.term.start} – ${w.term.end}
                    </li>`,
                )}
              </ul>
            </section>`
          : html`<section class="panel wide" aria-labelledby="axis-h">
                <div class="row" style="justify-content: space-between">
                  <h2 id="axis-h">${wo.number} · ${wo.customerId} · ${wo.status}</h2>
                  <div class="row" role="group" aria-label="Filter deadlines">
                    ${(
                      [
                        ['all', 'All'],
                        ['breached', 'Breached'],
                        ['dueSoon', 'Due within 24 h'],
                      ] as Array<[Filter, string]>
                    ).map(
                      ([f, label]) =>
                        html`<button class="secondary" aria-pressed=${filter === f} onClick=${() => setFilter(f)}>
                          ${label}
                        </button>`,
                    )}
                  </div>
                </div>
                <p class="muted">
                  ${shown.length} of ${deadlines.length} deadlines · now ${now ? formatAt(now) : '—'}
                  ${loadedIn !== null ? html` · loaded in ${loadedIn} ms` : null}
                </p>
                <div class="row" role="group" aria-label="Time span of the axis">
                  ${SPANS.map(
                    ([s, label]) =>
                      html`<button class="secondary" aria-pressed=${span === s} onClick=${() => setSpan(s)}>
                        ${label}
                      </button>`,
                  )}
                </div>
                <${Axis}
                  deadlines=${shown}
                  now=${nowMs}
                  onChoose=${choose}
                  selected=${selected}
                  range=${
                    span === 'term'
                      ? null
                      : [nowMs - SPANS.find((x) => x[0] === span)![2], nowMs + SPANS.find((x) => x[0] === span)![2]]
                  }
                />
              </section>
              <${ExplanationView} deadline=${selected} />
              <section class="panel" aria-labelledby="list-h">
                <h2 id="list-h">Deadlines</h2>
                <div class="scroll deadline-list">
                  <table>
                    <thead>
                      <tr>
                        <th>When</th>
                        <th>What</th>
                        <th>State</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${shown.slice(0, 300).map(
                        (d) =>
                          html`<tr>
                            <td>${formatAt(d.at)}</td>
                            <td><button class="link" onClick=${() => choose(d)}>${d.label}</button></td>
                            <td><span class=${`badge state-${d.state}`}>${d.state}</span></td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                  ${shown.length > 300 ? html`<p class="muted">First 300 of ${shown.length}; filter to see others.</p>` : null}
                </div>
              </section>
              <${Balances} wo=${wo} />
              <${WhatIf} identity=${identity} wo=${wo} />
              <section class="panel" aria-labelledby="timeline-h">
                <h2 id="timeline-h">Timeline</h2>
                <div class="scroll">
                  <table>
                    <tbody>
                      ${timeline.map(
                        (t) =>
                          html`<tr>
                            <td>${formatAt(t.at)}</td>
                            <td>${t.kind}${t.rule ? html` <span class="muted">${t.rule}</span>` : null}</td>
                            <td>${t.detail}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>
              </section>`
      }
    </main>`;
}

render(html`<${App} />`, document.getElementById('app')!);
