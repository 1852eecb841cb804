import { connect } from '@nats-io/transport-node';
const nc = await connect({ servers: process.argv[2] });
for (const [subject, body] of [[process.argv[3], process.argv[4]]]) {
  const t = Date.now();
  try { const r = await nc.request(subject, JSON.stringify(JSON.parse(body)), { timeout: 10000 }); console.log(Date.now() - t, 'ms', r.string().slice(0, 300)); }
  catch (e) { console.log(Date.now() - t, 'ms', String(e)); }
}
await nc.close();
