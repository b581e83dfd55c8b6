import { finding, type Finding } from '../../diagnostics.js';
import type { Located } from '../model.js';
import type { PipelineRule } from './rule.js';

/** An ARM resource name (TypeSpec): 3–63 of `a-z 0-9 -`, starting and ending with a letter or digit. */
const RESOURCE_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const SWITCH = ['enabled', 'disabled'];

/** The body's own settings (§1.3): `mode` and `requestDiskPersistence` values, the name, ARM's `profileRef`. */
export const bodySettings: PipelineRule = {
  id: 'body-settings',
  codes: {
    AIO_PIPELINE_SWITCH_VALUE: '`mode` or `requestDiskPersistence` is neither `Enabled` nor `Disabled`',
    AIO_PIPELINE_MODE_DISABLED: '`mode: Disabled`: the cluster keeps the graph but processes nothing',
    AIO_PIPELINE_PROFILE_REF: '`profileRef` inside ARM `properties` (Bicep samples write it; ARM has no such property): ignored',
    AIO_PIPELINE_NAME: 'the graph name is not 3–63 of `a-z 0-9 -` starting and ending with a letter or digit',
  },
  check(manifest) {
    const out: Finding[] = [];
    const switchValue = (field: string, value: Located<string> | undefined): void => {
      if (value === undefined || SWITCH.includes(value.value.toLowerCase())) return;
      out.push(
        finding('warning', 'AIO_PIPELINE_SWITCH_VALUE', value.pos, `${field} "${value.value}" is neither Enabled nor Disabled`, 'write Enabled or Disabled'),
      );
    };
    switchValue('mode', manifest.mode);
    switchValue('requestDiskPersistence', manifest.requestDiskPersistence);
    if (manifest.mode?.value.toLowerCase() === 'disabled') {
      out.push(
        finding(
          'info',
          'AIO_PIPELINE_MODE_DISABLED',
          manifest.mode.pos,
          'mode is Disabled: the cluster keeps this graph but processes nothing',
          'aio still validates and runs it locally',
        ),
      );
    }
    if (manifest.profileRef !== undefined && manifest.envelope !== 'kubernetes') {
      out.push(
        finding(
          'warning',
          'AIO_PIPELINE_PROFILE_REF',
          manifest.profileRef.pos,
          'profileRef is not an ARM property of a dataflowGraph; it is ignored',
          'in ARM and Bicep the profile is the parent resource (`parent:` or the name `instance/profile/graph`)',
        ),
      );
    }
    const name = manifest.name;
    // ARM expressions (`[parameters('name')]`) and Bicep interpolation are resolved at deployment: not checkable here.
    if (name !== undefined && !name.value.startsWith('[') && !name.value.includes('${') && !RESOURCE_NAME.test(name.value)) {
      out.push(
        finding(
          manifest.envelope === 'kubernetes' ? 'warning' : 'error',
          'AIO_PIPELINE_NAME',
          name.pos,
          `graph name "${name.value}" is not 3–63 lower-case letters, digits and -, starting and ending with a letter or digit`,
          'rename it: Azure rejects the name, and the same manifest should deploy through ARM and Kubernetes',
        ),
      );
    }
    return out;
  },
};
