#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx agri-oms …` works right after npm install.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
await import(path.join(here, '..', 'src', 'main.ts'));
