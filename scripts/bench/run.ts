/** `npm run bench`: runs the benchmarks, prints a table and writes bench/results/server.json. */
import { benchServer, writeResult } from './server.ts';

const result = await benchServer();
console.log(
  `embedded first start: ${result.embeddedFirstStartMs} ms, warm start: ${result.embeddedWarmStartMs} ms`,
);
for (const [backend, rows] of Object.entries(result.autocannon)) {
  if (!Array.isArray(rows)) continue;
  console.log(
    `\n${backend} (${result.autocannon.connections} connections, ${result.autocannon.durationS} s each)`,
  );
  console.table(rows);
}
console.log(`written ${await writeResult('server', result)}`);
