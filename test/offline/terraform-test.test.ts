/**
 * Offline Terraform tier, `terraform test`: every suite of test/offline/suites/ (account,
 * cluster, guardrail SCP documents and security parts, log-archive split, network, organization)
 * in one Terraform process (test/offline/suites/batch.ts). Each suite's header says what it
 * asserts; `terraform validate` of every stack runs in test/offline/validate-all.test.ts.
 */
import './suites/account';
import './suites/cluster';
import './suites/guardrails';
import './suites/log-archive-split';
import './suites/network';
import './suites/organization';
