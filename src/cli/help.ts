import { Help } from '@oclif/core';
import { EXIT_CODE_TABLE } from '../errors.js';

/** oclif's help plus the exit-code table on the root page, so scripts know what each status means. */
export default class AioHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(
      this.section(
        'EXIT CODES',
        EXIT_CODE_TABLE.map(([code, meaning]): [string, string] => [String(code), meaning]),
      ),
    );
  }
}
