export { startExpress } from './express.js';
export { startKoa } from './koa.js';
export { startFastify } from './fastify.js';
