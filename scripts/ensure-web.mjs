// Builds the web app before `npm start` when web/dist is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve('web/dist/index.html');
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const stale = !fs.existsSync(dist) || newest('web/src') > fs.statSync(dist).mtimeMs;
if (stale) {
  console.log('Building the web app / 正在构建前端 …');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
