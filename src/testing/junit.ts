/** JUnit XML, the report format every CI system reads. */
import type { CaseResult } from './run-case.js';

const escape = (text: string) => text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

export function junitXml(results: readonly CaseResult[], describe: (r: CaseResult) => string): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const errors = results.filter((r) => r.status === 'error').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((n, r) => n + r.millis, 0);
  const cases = results.map((r) => {
    const open = `    <testcase classname="${escape(r.file)}" name="${escape(r.name)}" time="${seconds(r.millis)}"`;
    if (r.status === 'passed') return `${open}/>`;
    const tag = r.status === 'failed' ? 'failure' : 'error';
    return `${open}>\n      <${tag} message="${escape(r.reason ?? r.status)}">${escape(describe(r))}</${tag}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds(total)}">`,
    `  <testsuite name="aio test" tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
