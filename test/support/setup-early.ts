// jest `setupFiles`, once per worker before the test framework and any test file: token
// creation stacks off before cdktf loads, as main.ts does (constructs/shared/creation-stacks.ts).
// cdktf/lib/tfExpression.js creates a token when it loads, whose stack would otherwise be
// captured (and formatted, with tsx's source maps on) like every later token's.
import { disableCreationStacks } from '../../constructs/shared/creation-stacks';

disableCreationStacks();
