/**
 * Detectors for secret-like literals, shared by the `LZ-SECRET-001` guardrail and the
 * `test/support/secret-scan.ts` CI scan of `cdktf.out`.
 *
 * Two kinds of evidence:
 * - a value that looks like a credential whatever its key ({@link VALUE_PATTERNS}: AWS
 *   access key IDs, PEM private keys, GitHub / Slack / Terraform Cloud tokens, JWTs, Slack
 *   webhook URLs);
 * - a literal string under a key that names a secret ({@link isSecretKey}: `password`,
 *   `clientSecret`, `api_key`, `auth_token`…), unless the value is a Terraform reference or
 *   expression (`${…}`), empty, or the key names a *reference* to a secret
 *   (`existingSecret`, `secretName`, `passwordSecretKey`…).
 *
 * Pattern sources: AWS key ID prefixes
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids),
 * GitHub token formats (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/),
 * Slack token types (https://api.slack.com/authentication/token-types).
 */

/** One secret-like literal found in a document. */
export interface SecretFinding {
  /** Where: a dotted path into the document (`resource.helm_release.x.values[0].auth.password`). */
  readonly path: string;
  /** What kind of secret it looks like (`AWS access key ID`, `password-like key`…). */
  readonly kind: string;
  /** The value with everything after its first 4 characters masked. */
  readonly preview: string;
}

/** Value patterns that are credentials whatever key they sit under. */
export const VALUE_PATTERNS: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'AWS access key ID', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  {
    kind: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/,
  },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  {
    kind: 'Slack webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/,
  },
  { kind: 'Terraform Cloud token', pattern: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}/ },
  {
    kind: 'JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  },
];

/** Key endings (lowercase, `-`/`_`/`.` removed) that name a secret value. */
const SECRET_KEY_SUFFIX =
  /(password|passwd|passphrase|secret|token|apikey|accesskey|privatekey|webhookurl|connectionstring|dsn)$/;

/** Key beginnings (normalized) that mark a reference to or a switch for a secret, not a secret. */
const REFERENCE_KEY_PREFIX = /^(existing|use|create|enable|external|from|manage|generate|rotate)/;

/** `apiKey` / `api_key` / `API-KEY` → `apikey`. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * Whether `key` names a secret value (`password`, `db_password`, `clientSecret`, `authToken`,
 * `apiKey`, `secretAccessKey`) and not a reference to or a setting of one
 * (`existingSecret`, `secretName`, `passwordSecretKey`, `tokenFile`, `createSecret`).
 */
export function isSecretKey(key: string): boolean {
  const k = normalize(key);
  return SECRET_KEY_SUFFIX.test(k) && !REFERENCE_KEY_PREFIX.test(k);
}

/** Whether a string is a Terraform reference/expression or otherwise not a literal. */
export function isExpression(value: string): boolean {
  return value.includes('${') || value.includes('%{');
}

/** The first {@link VALUE_PATTERNS} kind `value` matches, if any. */
export function secretValueKind(value: string): string | undefined {
  return VALUE_PATTERNS.find((p) => p.pattern.test(value))?.kind;
}

/** `abcd****` (never more than 4 characters of a secret in a message). */
export function mask(value: string): string {
  return `${value.slice(0, 4)}${'*'.repeat(Math.min(8, Math.max(0, value.length - 4)))}`;
}

/**
 * Whether a literal under `key` is a plaintext secret: the key names a secret and the value
 * is a non-empty literal (not a `${…}` expression, not empty, not a boolean, number or null
 * written as text).
 */
export function isSecretAssignment(key: string, value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '' || isExpression(value)) return false;
  // Booleans, numbers and nulls written as text (`automountServiceAccountToken: true`) are settings.
  if (/^(true|false|yes|no|on|off|null|~|-?\d+(\.\d+)?)$/i.test(value.trim())) return false;
  return isSecretKey(key);
}

/** Matches `key: value` / `key = value` / `"key": "value"` lines in a YAML, env or HCL text. */
const ASSIGNMENT_LINE =
  /^\s*-?\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?([^"'\s#][^"'#]*?)["']?\s*(?:#.*)?$/;

/**
 * Every secret-like literal in `doc` (any JSON value), walking objects and arrays. Strings
 * that hold multi-line text (YAML Helm values, scripts) are scanned line by line for
 * `key: value` assignments as well.
 * @param doc parsed JSON (or a Helm values object)
 * @param path the path prefix of `doc` in messages (default `''`)
 */
export function findSecrets(doc: unknown, path = ''): SecretFinding[] {
  const out: SecretFinding[] = [];
  const visit = (value: unknown, at: string, key: string | undefined): void => {
    if (typeof value === 'string') {
      const kind = secretValueKind(value);
      if (kind) {
        const m = VALUE_PATTERNS.find((p) => p.kind === kind)!.pattern.exec(value);
        out.push({ path: at, kind, preview: mask(m ? m[0] : value) });
        return;
      }
      if (key !== undefined && isSecretAssignment(key, value)) {
        out.push({
          path: at,
          kind: `literal under secret-like key "${key}"`,
          preview: mask(value),
        });
        return;
      }
      if (value.includes('\n')) {
        value.split('\n').forEach((line, i) => {
          const m = ASSIGNMENT_LINE.exec(line);
          if (m && isSecretAssignment(m[1], m[2])) {
            out.push({
              path: `${at} (line ${i + 1})`,
              kind: `literal under secret-like key "${m[1]}"`,
              preview: mask(m[2]),
            });
          }
        });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${at}[${i}]`, key));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '//') continue; // cdktf metadata
        visit(v, at ? `${at}.${k}` : k, k);
      }
    }
  };
  visit(doc, path, undefined);
  return out;
}
