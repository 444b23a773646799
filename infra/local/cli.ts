import fs from 'node:fs';

const USAGE = 'usage: npm run send -- [--port <port> | --url <host url>] <queue> <event.json | ->';

/**
 * A small operator CLI for the running local host:
 *   npm run send -- <queue> <event.json>        enqueue a message (body = the file's JSON; messageId = its eventId)
 *   npm run send -- <queue> -                    read the JSON from standard input
 *   npm run send -- --port 7072 <queue> <file>   a host on another port (also PORT=7072, or HOST_URL=http://...)
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const command = args.shift();
  let base = process.env['HOST_URL'] ?? `http://localhost:${process.env['PORT'] ?? 7071}`;
  const positional: string[] = [];
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '--port') base = `http://localhost:${args.shift() ?? ''}`;
    else if (arg === '--url') base = args.shift() ?? base;
    else positional.push(arg);
  }
  const [queue, file] = positional;
  if (command !== 'send' || !queue || !file) {
    console.error(USAGE);
    process.exit(2);
  }
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as unknown;
  const bodies = Array.isArray(parsed) ? parsed : [parsed];
  const url = `${base.replace(/\/$/, '')}/admin/servicebus/${encodeURIComponent(queue)}/messages`;
  for (const body of bodies) {
    const messageId =
      body && typeof body === 'object' && typeof (body as { eventId?: unknown }).eventId === 'string'
        ? (body as { eventId: string }).eventId
        : undefined;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId, body }),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      console.error(
        `Could not reach the local host at ${url} (${reason}). Is \`npm start\` running on that port? Use --port <port>, PORT or HOST_URL.`,
      );
      process.exit(1);
    }
    console.log(`POST ${url} → ${response.status} ${await response.text()}`);
    if (!response.ok) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
