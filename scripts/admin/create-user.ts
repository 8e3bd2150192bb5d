/**
 * `npm run admin:create -- --username NAME --scope CODE [--role admin] [--display-name 名称] [--department fire]`
 * Creates an account on the configured database (DATABASE_URL, or the embedded one). The password comes
 * from ADMIN_PASSWORD or, when that is unset, from the first line of standard input, never from argv.
 * With DATABASE_URL no account exists until this command creates one.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Value } from 'typebox/value';
import { CreateUserBody } from '../../shared/src/schemas/auth.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { createAuthService } from '../../server/src/modules/auth/service.ts';
import { withConfiguredDatabase } from '../db/open.ts';

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    scope: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    'display-name': { type: 'string' },
    department: { type: 'string' },
  },
});

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

const body = {
  username: values.username,
  displayName: values['display-name'] ?? values.username,
  role: values.role,
  scope: values.scope,
  ...(values.department ? { department: values.department } : {}),
  password: await readPassword(),
};
const errors = [...Value.Errors(CreateUserBody, body)];
if (errors.length > 0) {
  for (const e of errors) console.error(`${e.instancePath.slice(1) || 'arguments'}: ${e.message}`);
  process.exit(2);
}

await withConfiguredDatabase(async (db) => {
  await migrate(db.pool);
  const auth = createAuthService(db.pool, { sign: () => '' });
  const user = await auth.createUser(body as CreateUserBody, {
    actorId: null,
    actor: 'system:admin-command',
    role: null,
    scope: null,
    ip: null,
    userAgent: null,
    requestId: null,
  });
  console.log(`created ${user.role} ${user.username} (id ${user.id}) in ${user.scopeName} ${user.scope}`);
}).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
