import { finding, type Finding } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

const CLAIM_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUB_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$)).*$/;

/** `fileStores` (2026-11-01-preview, §1.9): unique ids, a valid claim name, a relative `subPath` without `..`. */
export const fileStores: PipelineRule = {
  id: 'file-stores',
  codes: {
    AIO_PIPELINE_FILE_STORE: 'a `fileStores` entry has a repeated `id`, a malformed claim name or a `subPath` that is absolute or climbs out with `..`',
  },
  check(manifest) {
    const out: Finding[] = [];
    const ids = new Set<string>();
    for (const store of manifest.fileStores?.entries ?? []) {
      if (store.id !== undefined) {
        if (ids.has(store.id.value))
          out.push(finding('error', 'AIO_PIPELINE_FILE_STORE', store.id.pos, `file store id "${store.id.value}" is used twice`, 'ids are unique'));
        ids.add(store.id.value);
      }
      const claim = store.persistentVolumeClaimRef;
      if (claim !== undefined && (claim.value.length > 63 || !CLAIM_NAME.test(claim.value))) {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_FILE_STORE',
            claim.pos,
            `persistentVolumeClaimRef "${claim.value}" is not a claim name`,
            '1–63 of a-z 0-9 -, starting and ending with a letter or digit',
          ),
        );
      }
      const sub = store.subPath;
      if (sub !== undefined && !SUB_PATH.test(sub.value)) {
        out.push(
          finding(
            'error',
            'AIO_PIPELINE_FILE_STORE',
            sub.pos,
            `subPath "${sub.value}" must be relative and must not contain ".."`,
            'write a path inside the claim, e.g. models/v1',
          ),
        );
      }
    }
    return out;
  },
};
