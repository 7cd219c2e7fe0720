// Drives engram-daemon from Node with @grpc/grpc-js, knowing nothing but the address: the service is
// discovered through server reflection (grpc.reflection.v1), exactly what grpcurl does.
// Usage: node generate.js HOST:PORT PROMPT MAX_NEW_TOKENS [MODEL]
// Prints one JSON object: {"services": [...], "events": [...], "status": {code, details}}.
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const [target, prompt, maxNewTokens, model] = process.argv.slice(2);
const creds = grpc.credentials.createInsecure();

(async () => {
  const reflection = new GrpcReflection(target, creds, {}, 'v1');
  const services = await reflection.listServices();
  const descriptor = await reflection.getDescriptorBySymbol('engram.v1.Inference');
  const pkg = descriptor.getPackageObject({ keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const client = new pkg.engram.v1.Inference(target, creds);
  const events = [];
  const status = await new Promise((resolve) => {
    const call = client.Generate(
      { prompt, max_new_tokens: Number(maxNewTokens), model: model || '' },
      { deadline: new Date(Date.now() + 30000) });
    call.on('data', (message) => events.push({ [message.event]: message[message.event] }));
    call.on('error', (e) => resolve({ code: grpc.status[e.code], details: e.details }));
    call.on('end', () => resolve({ code: 'OK', details: '' }));
  });
  client.close();
  console.log(JSON.stringify({ services, events, status }));
  process.exit(0);
})().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});
