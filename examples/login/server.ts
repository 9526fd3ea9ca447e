// The login recipe: only failed logins count, five in a row lock a user out from that client.
// Run: npx tsx examples/login/server.ts  (PORT to change the port, default 8000;
// TRUSTED_PROXIES when it runs behind a proxy)
import { configFromEnv } from 'bulwark';
import { createLoginApp } from './app.js';

const { trustedProxies } = configFromEnv(process.env);
const app = createLoginApp({ trustedProxies });

const port = Number(process.env.PORT ?? 8000);
app.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${String(port)}/login`;
  const login = (password: string) =>
    `curl -i ${url} -H 'Content-Type: application/json' -d '{"username":"alice","password":"${password}"}'`;
  console.log(`bulwark login example on ${url}`);
  console.log(`wrong password, six times (the sixth is a 429 for 15 minutes): ${login('guess')}`);
  console.log(`right password (before the sixth): ${login('correct horse')}`);
});
