import type { EntraTokenSource } from './auth.js';

/** The audience ACR's exchange accepts (the ARM audience works too, but this one is the least privileged). */
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';

/**
 * Entra ID tokens from `DefaultAzureCredential`: environment (service principal), workload identity, managed
 * identity, then the Azure CLI's sign-in; `AZURE_TOKEN_CREDENTIALS` narrows the chain as the SDK documents.
 * The SDK is loaded only when an ACR asks, so other commands do not pay for it. No identity → undefined, and the
 * registry is tried anonymously (ACR allows anonymous pull when the registry enables it).
 */
export function defaultEntraToken(): EntraTokenSource {
  let token: Promise<string | undefined> | undefined;
  return () =>
    (token ??= (async () => {
      const { DefaultAzureCredential } = await import('@azure/identity');
      try {
        return (await new DefaultAzureCredential().getToken(ACR_SCOPE)).token;
      } catch {
        // CredentialUnavailableError or AuthenticationError: the caller falls back and reports how to sign in.
        return undefined;
      }
    })());
}
