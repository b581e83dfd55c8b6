import { conformanceSuite } from './conformance-suite.js';
import { fixtureComponent } from '../helpers/components.js';

conformanceSuite('hand-written WAT component', fixtureComponent('conformance-wat'));
conformanceSuite('JavaScript built with componentize-js 0.23', fixtureComponent('conformance-js'));
conformanceSuite('TypeScript on the aio SDK, built with QuickJS (componentize-qjs 0.4.5)', fixtureComponent('conformance-sdk-quickjs'), {
  traps: false,
  logContext: 'conformance/map',
});
conformanceSuite('TypeScript on the aio SDK, built with SpiderMonkey (componentize-js 0.23)', fixtureComponent('conformance-sdk-spidermonkey'), {
  traps: false,
  logContext: 'conformance/map',
});
