import fs from 'node:fs';

/**
 * A small operator CLI for the running local host:
 *   npm run send -- <queue> <event.json>        enqueue a message (body = the file's JSON; messageId = its eventId)
 *   npm run send -- <queue> -                    read the JSON from standard input
 * HOST_URL overrides http://localhost:7071.
 */
async function main(): Promise<void> {
  const [command, queue, file] = process.argv.slice(2);
  if (command !== 'send' || !queue || !file) {
    console.error('usage: npm run send -- <queue> <event.json | ->');
    process.exit(2);
  }
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  const bodies = Array.isArray(parsed) ? parsed : [parsed];
  const base = process.env['HOST_URL'] ?? `http://localhost:${process.env['PORT'] ?? 7071}`;
  for (const body of bodies) {
    const messageId =
      body && typeof body === 'object' && typeof (body as { eventId?: unknown }).eventId === 'string'
        ? (body as { eventId: string }).eventId
        : undefined;
    const response = await fetch(`${base}/admin/servicebus/${encodeURIComponent(queue)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId, body }),
    });
    console.log(`${response.status} ${await response.text()}`);
    if (!response.ok) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
