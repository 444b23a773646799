import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';

export const ROLES = ['Customer.Manager', 'Customer.Reader', 'Provider.Csam'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  roles: Role[];
  customerId: string | null;
  /** Who the caller is, for audit (`by` of a decision): the platform's name claim, else the object id. */
  name: string | null;
}

const principalSchema = z
  .object({
    claims: z.array(z.object({ typ: z.string(), val: z.string() }).loose()).default([]),
    role_typ: z.string().optional(),
    name_typ: z.string().optional(),
  })
  .loose();

/**
 * The caller as App Service Authentication ("Easy Auth") forwards it: base64 JSON in `x-ms-client-principal`.
 * Only the platform can set that header in Azure; the app reads `roles` and `customer_id` claims.
 * Returns null when there is no (valid) principal.
 */
export function principalOf(request: HttpRequest): Principal | null {
  const header = request.headers.get('x-ms-client-principal');
  if (!header) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = principalSchema.safeParse(decoded);
  if (!parsed.success) return null;
  const roleType = parsed.data.role_typ ?? 'roles';
  const roles = parsed.data.claims
    .filter(
      (c) =>
        c.typ === roleType ||
        c.typ === 'roles' ||
        c.typ === 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    )
    .map((c) => c.val)
    .filter((v): v is Role => (ROLES as readonly string[]).includes(v));
  const claim = (...types: string[]) =>
    types.map((t) => parsed.data.claims.find((c) => c.typ === t)?.val).find((v) => v !== undefined && v !== '');
  const customerId = claim('customer_id') ?? null;
  const name =
    claim(
      parsed.data.name_typ ?? 'name',
      'preferred_username',
      'name',
      'http://schemas.microsoft.com/identity/claims/objectidentifier',
      'oid',
    ) ?? null;
  return { roles: [...new Set(roles)], customerId, name };
}

/** A customer principal (no provider role) that carries no `customer_id` owns nothing (api-contract Conventions). */
export function ownsNothing(principal: Principal): boolean {
  return !principal.roles.includes('Provider.Csam') && principal.customerId === null;
}

/** Provider staff (CSAM) see every customer; customers see only their own. */
export function canRead(principal: Principal, customerId: string): boolean {
  if (principal.roles.includes('Provider.Csam')) return true;
  return (
    principal.customerId === customerId &&
    (principal.roles.includes('Customer.Reader') || principal.roles.includes('Customer.Manager'))
  );
}

export function canWrite(principal: Principal, customerId: string): boolean {
  if (principal.roles.includes('Provider.Csam')) return true;
  return principal.customerId === customerId && principal.roles.includes('Customer.Manager');
}
