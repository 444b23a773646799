import { h } from 'preact';
import htm from 'htm';
import type { Deadline } from './types';

const html = htm.bind(h);

const LANES: Array<{ type: Deadline['resourceType']; label: string; rows: number }> = [
  { type: 'workOrder', label: 'Work Order', rows: 1 },
  { type: 'incident', label: 'Incidents', rows: 6 },
  { type: 'aemEvent', label: 'AEM events', rows: 1 },
  { type: 'cyberEngagement', label: 'Cyber', rows: 1 },
];
const ROW = 16;
const LEFT = 96;
const TOP = 26;
const STEPS = [
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
  30 * 86_400_000,
  91 * 86_400_000,
];

function rowOf(resource: string, rows: number): number {
  let hash = 0;
  for (const c of resource) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash % rows;
}

function shape(kind: string, x: number, y: number) {
  if (kind === 'firstResponseDue' || kind === 'firstResponseBreached' || kind.endsWith('Due') || kind === 'termEnded')
    return html`<path class="shape" d=${`M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z`} />`;
  if (kind === 'firstResponseWarning')
    return html`<path class="shape" d=${`M${x} ${y - 6}L${x + 6} ${y + 5}L${x - 6} ${y + 5}Z`} />`;
  if (kind === 'firstResponded') return html`<rect class="shape" x=${x - 4} y=${y - 4} width="8" height="8" />`;
  return html`<circle class="shape" cx=${x} cy=${y} r="4.5" />`;
}

/** One time axis for every clock: a lane per kind of resource, a marker per deadline, coloured by its state. */
export function Axis(props: {
  deadlines: Deadline[];
  now: number;
  selected: Deadline | null;
  onChoose: (d: Deadline) => void;
  /** The window shown, or null for everything. */
  range?: [number, number] | null;
}) {
  const { now, range } = props;
  const deadlines = range
    ? props.deadlines.filter((d) => Date.parse(d.at) >= range[0] && Date.parse(d.at) <= range[1])
    : props.deadlines;
  const width = 1160;
  const lanes = LANES.map((lane, i) => ({
    ...lane,
    y: TOP + LANES.slice(0, i).reduce((sum, l) => sum + l.rows * ROW + 10, 0),
  }));
  const height = (lanes.at(-1)?.y ?? 0) + (lanes.at(-1)?.rows ?? 1) * ROW + 16;
  const times = deadlines.map((d) => Date.parse(d.at));
  if (times.length === 0) return html`<p class="muted" data-testid="axis-empty">No deadlines match.</p>`;
  let min = range ? range[0] : Math.min(...times, now);
  let max = range ? range[1] : Math.max(...times, now);
  if (max - min < 3_600_000) [min, max] = [min - 1_800_000, max + 1_800_000];
  const pad = (max - min) * 0.02;
  min -= pad;
  max += pad;
  const x = (t: number) => LEFT + ((t - min) / (max - min)) * (width - LEFT - 12);
  const step = STEPS.find((s) => (max - min) / s <= 10) ?? STEPS[STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  const label = (t: number) => {
    const iso = new Date(t).toISOString();
    return step < 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  };
  const key = (d: Deadline) => `${d.resource}|${d.kind}|${d.at}`;
  const selectedKey = props.selected ? key(props.selected) : null;
  return html`<div class="axis-wrap">
    <svg
      class="axis"
      width=${width}
      height=${height}
      role="group"
      aria-label="Deadlines on one time axis"
      data-testid="axis"
    >
      ${ticks.map(
        (t) =>
          html`<g>
            <line x1=${x(t)} x2=${x(t)} y1=${TOP - 6} y2=${height - 6} stroke="#e3e7ec" />
            <text x=${x(t) + 2} y=${TOP - 10}>${label(t)}</text>
          </g>`,
      )}
      ${lanes.map(
        (lane) =>
          html`<g>
            <text class="lane-label" x="6" y=${lane.y + (lane.rows * ROW) / 2 + 4}>${lane.label}</text>
            <line
              x1=${LEFT}
              x2=${width - 8}
              y1=${lane.y + lane.rows * ROW + 4}
              y2=${lane.y + lane.rows * ROW + 4}
              stroke="#eef0f3"
            />
          </g>`,
      )}
      <line x1=${x(now)} x2=${x(now)} y1=${TOP - 6} y2=${height - 6} stroke="#0b5cad" stroke-dasharray="4 3" />
      <text x=${x(now) + 3} y=${height - 2} fill="#0b5cad">now</text>
      ${deadlines.map((d) => {
        const lane = lanes.find((l) => l.type === d.resourceType) ?? lanes[0]!;
        const y = lane.y + rowOf(d.resource, lane.rows) * ROW + ROW / 2;
        const cx = x(Date.parse(d.at));
        const choose = () => props.onChoose(d);
        return html`<g
          class=${`marker state-${d.state}`}
          tabindex="0"
          role="button"
          aria-label=${`${d.label}, ${d.state}, ${d.at}`}
          aria-pressed=${selectedKey === key(d)}
          data-kind=${d.kind}
          data-state=${d.state}
          data-resource=${d.resource}
          onClick=${choose}
          onKeyDown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              choose();
            }
          }}
        >
          <title>${d.label} (${d.state})</title>
          ${shape(d.kind, cx, y)}
        </g>`;
      })}
    </svg>
  </div>`;
}
