// The baseline: bare Fastify routes with no hooks, schemas or database, in their own process.
import Fastify from 'fastify';

const app = Fastify();
app.get('/bare', async () => ({ status: 'ok' }));
// The same bytes as an admin's GET /api/auth/me, so response size is not what the comparison measures.
const perms = Array.from({ length: 37 }, (_, i) => `permission:${String(i).padStart(6, '0')}`);
app.get('/bare-me', async () => ({
  user: { id: '01a21cc6-9470-715e-b7a3-8e590fdec2ba', username: 'admin', displayName: '系统管理员', locale: 'zh-CN', roles: ['admin'], permissions: perms, customerId: null },
}));
await app.listen({ port: Number(process.env.PORT ?? 3900), host: '127.0.0.1' });
console.log('ready');
