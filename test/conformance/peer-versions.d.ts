// Express 4 and Koa 2 are installed under aliases (express4, koa2) so the conformance suite
// also runs on the older majors the peer ranges promise. Their runtime API is the part the
// adapters use; the current majors' types describe it.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
