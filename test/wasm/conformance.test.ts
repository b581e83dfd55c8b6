import { conformanceSuite } from './conformance-suite.js';
import { fixtureComponent } from '../helpers/components.js';

conformanceSuite('hand-written WAT component', fixtureComponent('conformance-wat'));
conformanceSuite('JavaScript built with componentize-js 0.23', fixtureComponent('conformance-js'));
