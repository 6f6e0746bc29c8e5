import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DomainError } from './errors.js';
import { knexConfig, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { createWorkspace } from './workspaces/workspaces.js';
import { createApiKey, revokeApiKey } from './workspaces/api-keys.js';
import { Accounts } from './accounts/accounts.js';
import { Sessions } from './accounts/sessions.js';
import { SignInThrottle } from './accounts/sign-in-throttle.js';

const usage = `Usage:
  npm run --silent cli -- workspace create --name <name>
  npm run --silent cli -- key create --workspace <workspace id>
  npm run --silent cli -- key revoke <key prefix (the first 12 characters of the key)>
  npm run --silent cli -- user create --email <email> --workspace <workspace id> [--role owner|member]`;

async function run(args: string[], accounts: Accounts): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, workspace: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } },
  });
  const [resource, action, argument] = positionals;
  if (resource === 'workspace' && action === 'create' && values.name) return createWorkspace(values.name);
  if (resource === 'key' && action === 'create' && values.workspace) {
    const { key, prefix } = await createApiKey(values.workspace);
    return { workspace_id: values.workspace, api_key: key, prefix };
  }
  if (resource === 'key' && action === 'revoke' && argument) {
    const revoked = await revokeApiKey(argument);
    return { prefix: revoked.prefix, workspace_id: revoked.workspace_id, revoked_at: revoked.revoked_at?.toISOString() };
  }
  if (resource === 'user' && action === 'create' && values.email && values.workspace && (!values.role || values.role === 'owner' || values.role === 'member')) {
    return accounts.createUser(values.email, values.workspace, (values.role ?? 'owner') as 'owner' | 'member');
  }
  throw new UsageError();
}

class UsageError extends Error {}

try {
  const config = loadConfig();
  const db = openDatabase(await knexConfig(config));
  try {
    await migrateToLatest(db);
    const sessions = new Sessions({ db });
    const accounts = new Accounts({ db, publicUrl: config.publicUrl, sessions, throttle: new SignInThrottle({ db }) });
    console.log(JSON.stringify(await run(process.argv.slice(2), accounts), null, 2));
  } finally {
    await db.destroy();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(usage);
  else if (error instanceof DomainError) console.error(`${error.code}: ${error.message}`);
  else console.error(error);
  process.exit(1);
}
