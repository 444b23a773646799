/** Easy Auth principal headers (`x-ms-client-principal`), as App Service would forward them. */
export function principal(roles: string[], customerId?: string, name?: string): Record<string, string> {
  const claims = [
    ...roles.map((val) => ({ typ: 'roles', val })),
    ...(customerId ? [{ typ: 'customer_id', val: customerId }] : []),
    ...(name ? [{ typ: 'name', val: name }] : []),
  ];
  return {
    'x-ms-client-principal': Buffer.from(
      JSON.stringify({ auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims }),
    ).toString('base64'),
  };
}

export const csam = principal(['Provider.Csam']);
export const manager = (customerId: string) => principal(['Customer.Manager'], customerId);
export const reader = (customerId: string) => principal(['Customer.Reader'], customerId);
