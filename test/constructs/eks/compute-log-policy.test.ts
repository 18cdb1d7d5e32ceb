/**
 * The Dagster code servers' Pod Identity role: tick logs of sensors and schedules go to the
 * compute log manager (S3ComputeLogManager, prefix `compute-logs`), so the code servers'
 * service account `dagster/dagster-user-code` may read and write objects under that prefix only.
 * S3 condition keys: https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
 */
import { computeLogPrefixStatements } from '../../../constructs/eks/compute-log-policy';
import {
  ADDON_IDENTITIES,
  DAGSTER_COMPUTE_LOG_PREFIX,
} from '../../../constructs/eks/addon-identities';
import { USER_CODE_SERVICE_ACCOUNT, DAGSTER_NAMESPACE } from '../../../constructs/dagster/names';
import { dagsterValues } from '../../../constructs/dagster/values';
import { dagster, INPUTS } from '../../support/dagster-fixtures';

const BUCKET = 'arn:aws:s3:::acme-main-01-dagster-logs';
const KEY = 'arn:aws:kms:eu-central-1:111111111111:key/k';

it('is bound to the code servers’ service account', () => {
  expect(ADDON_IDENTITIES['dagster-user-code']).toEqual({
    namespace: DAGSTER_NAMESPACE,
    serviceAccounts: [USER_CODE_SERVICE_ACCOUNT],
  });
});

it('writes and reads the compute-log prefix only, lists only it, no delete', () => {
  const st = computeLogPrefixStatements({ region: 'eu-central-1' }, BUCKET, KEY);
  expect(st).toEqual([
    {
      sid: 'ListPrefix',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [BUCKET],
      condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['compute-logs/*'] }],
    },
    {
      sid: 'PrefixObjects',
      effect: 'Allow',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${BUCKET}/compute-logs/*`],
    },
    {
      sid: 'BucketKey',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [KEY],
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:ViaService',
          values: ['s3.eu-central-1.amazonaws.com'],
        },
      ],
    },
  ]);
});

it('the prefix is the one the compute log manager writes to', () => {
  const v = dagsterValues(dagster(), INPUTS) as any;
  expect(v.computeLogManager.config.s3ComputeLogManager.prefix).toBe(DAGSTER_COMPUTE_LOG_PREFIX);
  expect(v['dagster-user-deployments'].serviceAccount.name).toBe(USER_CODE_SERVICE_ACCOUNT);
});
