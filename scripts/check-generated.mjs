// Fails when committed generated artefacts are stale: migrations (drizzle-kit) and the web API types (openapi-typescript).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tmp = path.resolve('.tmp/migrations-check');
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(path.dirname(tmp), { recursive: true });
fs.cpSync('migrations', tmp, { recursive: true });
const before = fs.readdirSync(tmp).filter((f) => f.endsWith('.sql')).length;
execSync('npx drizzle-kit generate --name check', { env: { ...process.env, DRIZZLE_OUT: tmp }, stdio: 'pipe' });
const after = fs.readdirSync(tmp).filter((f) => f.endsWith('.sql')).length;
fs.rmSync(tmp, { recursive: true, force: true });
if (after !== before) {
  console.error('migrations/ is stale: the Drizzle tables changed. Run `npm run db:generate` and commit the new migration.');
  process.exit(1);
}
execSync('npx tsx scripts/gen-api.ts --check', { stdio: 'inherit' });
