import { Flags } from '@oclif/core';
import { PASSWORD_ENV } from '../mqtt/broker-flags.js';

/** How to reach an external MQTT broker: credentials and TLS, shared by `aio emulate --broker` and `aio record`. */
export const brokerConnectionFlags = {
  username: Flags.string({ description: `MQTT username (the password comes from ${PASSWORD_ENV})` }),
  'ca-file': Flags.string({ description: 'PEM CA certificate(s) to trust for mqtts://' }),
  'cert-file': Flags.string({ description: 'PEM client certificate for mqtts://' }),
  'key-file': Flags.string({ description: 'PEM client key for mqtts://' }),
  insecure: Flags.boolean({ description: 'do not verify the broker certificate (local test brokers only)' }),
};
