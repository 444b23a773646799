// `npm stop`: stops the local host and any Azurite a crashed host left running (see dist/infra/local/stop.js).
import './buildIfNeeded.mjs';

await import(new URL('../../dist/infra/local/stop.js', import.meta.url).href);
