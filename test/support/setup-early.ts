// jest `setupFiles` (before the test framework and any module of the test file): token
// creation stacks off before cdktf loads, as main.ts does (constructs/shared/creation-stacks.ts).
// cdktf/lib/tfExpression.js creates a token when it loads, and jest's source-map-support would
// map that token's captured stack: about 40 ms per test file.
import { disableCreationStacks } from '../../constructs/shared/creation-stacks';

disableCreationStacks();
