// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, …) and
// brings their types into every spec.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

Testing.setupJest();
