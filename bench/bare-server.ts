// The baseline: a bare Fastify route with no hooks, schemas or database, in its own process.
import Fastify from 'fastify';

const app = Fastify();
app.get('/bare', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3900), host: '127.0.0.1' });
console.log('ready');
