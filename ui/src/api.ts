/** Who the page acts as: locally a chosen principal; in Azure the Easy Auth session (the platform adds the header). */
export type Identity =
  { mode: 'local'; roles: string[]; customerId: string } | { mode: 'easyAuth'; name?: string } | { mode: 'signedOut' };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export async function detectIdentity(): Promise<Identity> {
  if (LOCAL_HOSTS.has(location.hostname)) {
    const saved = localStorage.getItem('usl.principal');
    if (saved) return JSON.parse(saved) as Identity;
    return { mode: 'local', roles: ['Provider.Csam'], customerId: 'contoso' };
  }
  const me = await fetch('/.auth/me', { credentials: 'same-origin' });
  if (!me.ok) {
    location.href = `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname + location.search)}`;
    return { mode: 'signedOut' };
  }
  const sessions = (await me.json()) as Array<{ user_id?: string }>;
  return sessions.length > 0 ? { mode: 'easyAuth', name: sessions[0]?.user_id } : { mode: 'signedOut' };
}

function headersFor(identity: Identity): Record<string, string> {
  if (identity.mode !== 'local') return {};
  localStorage.setItem('usl.principal', JSON.stringify(identity));
  const claims = [
    ...identity.roles.map((val) => ({ typ: 'roles', val })),
    ...(identity.customerId ? [{ typ: 'customer_id', val: identity.customerId }] : []),
  ];
  return { 'x-ms-client-principal': btoa(JSON.stringify({ auth_typ: 'aad', role_typ: 'roles', claims })) };
}

/** Calls the public API as the page's identity; a problem+json answer becomes an Error with its detail. */
export async function api<T>(identity: Identity, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...headersFor(identity), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as T & { detail?: string; title?: string; rule?: string };
  if (!response.ok) {
    if (response.status === 401 && identity.mode === 'easyAuth') location.href = '/.auth/login/aad';
    throw new Error(
      `${response.status} ${json.title ?? ''}: ${json.detail ?? ''}${json.rule ? ` (${json.rule})` : ''}`,
    );
  }
  return json;
}
