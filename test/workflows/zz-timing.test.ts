import { startDevServer, startTimeSkipping } from '../helpers/temporal';
it('timings', async () => {
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    let t = Date.now(); const ts = await startTimeSkipping(); out.push(`ts ${Date.now() - t}`);
    t = Date.now(); await ts.teardown(); out.push(`ts-down ${Date.now() - t}`);
    t = Date.now(); const dev = await startDevServer(); out.push(`dev ${Date.now() - t}`);
    t = Date.now(); await dev.teardown(); out.push(`dev-down ${Date.now() - t}`);
  }
  console.log(out.join(' | '));
});
