// Runs one documented grpcurl recipe the way grpcurl does: the service discovered through server reflection
// alone, the request given as JSON with the proto's field names.
// Usage: node recipe.js HOST:PORT SERVICE/METHOD 'JSON' [AUTHORIZATION]
// Prints one JSON object: {"events": [...], "status": {code, details}}.
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const [target, method, json, authorization] = process.argv.slice(2);
const creds = grpc.credentials.createInsecure();

(async () => {
  const [service, rpc] = method.split('/');
  const reflection = new GrpcReflection(target, creds, {}, 'v1');
  const descriptor = await reflection.getDescriptorBySymbol(service);
  const pkg = descriptor.getPackageObject({ keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const Client = service.split('.').reduce((scope, name) => scope[name], pkg);
  const client = new Client(target, creds);
  const metadata = new grpc.Metadata();
  if (authorization) {
    metadata.add('authorization', authorization);
  }
  const events = [];
  const status = await new Promise((resolve) => {
    const call = client[rpc](JSON.parse(json), metadata, { deadline: new Date(Date.now() + 30000) });
    call.on('data', (message) => events.push(message.event ? { [message.event]: message[message.event] } : message));
    call.on('error', (e) => resolve({ code: grpc.status[e.code], details: e.details }));
    call.on('end', () => resolve({ code: 'OK', details: '' }));
  });
  client.close();
  console.log(JSON.stringify({ events, status }));
  process.exit(0);
})().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});
