import { startArmServer } from '/work/main/dist/test/helpers/arm-server.js';
import { ResourceManagementClient } from '@azure/arm-resources';
const a = await startArmServer('/tmp', { token: 't' });
const cred = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3600e3 }) };
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const c = new ResourceManagementClient(cred, 'sub', { endpoint: a.endpoint, credentialScopes: ['x/.default'] });
a.resources.set('/subscriptions/sub/resourcegroups/rg/providers/microsoft.iotoperations/instances/i/registryendpoints/e', { type: 't', properties: { host: 'h' }, etag: 1 });
try { console.log(await c.resources.getById('/subscriptions/sub/resourceGroups/rg/providers/Microsoft.IoTOperations/instances/i/registryEndpoints/e', '2026-07-01')); } catch (e) { console.log('ERR', e.statusCode, e.message); }
console.log(a.requests);
await a.stop();
