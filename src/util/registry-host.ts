/**
 * `https://myacr.azurecr.io/` → `myacr.azurecr.io`: a registry as users write it (in aio.yaml, `--registry`,
 * `aio registry login`), as its host. One normaliser for every place that reads one.
 */
export function registryHostOf(value: string): string {
  return value.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}
