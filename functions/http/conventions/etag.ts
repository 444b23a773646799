import { createHash } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { StaleVersion } from '../../../app/errors';

/**
 * The ETag of a resource kept inside its Work Order's partition (a service request, an AEM booking, a cybersecurity
 * engagement, a swap) or of a lifecycle's status: a hash of its stored state, so it changes exactly when the state does.
 */
export function contentEtag(state: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 32)}"`;
}

/** A request's `If-Match` against the resource's current ETag: 412 when stale (`*` or none: no precondition). */
export function assertIfMatch(request: HttpRequest, etag: string): void {
  const ifMatch = request.headers.get('if-match');
  if (ifMatch && ifMatch !== '*' && ifMatch !== etag) throw new StaleVersion();
}
