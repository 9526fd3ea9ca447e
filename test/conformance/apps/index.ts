export { startExpress } from './express.js';
export { startKoa } from './koa.js';
export { startFastify } from './fastify.js';
export { startHono } from './hono.js';
export { startNest } from './nest.js';
