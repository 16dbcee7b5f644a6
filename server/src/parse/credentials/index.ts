// Public surface of the credential scanner (issue 8): scan one file's text for plaintext
// credentials; classify paths; the rules table (for `orchard rules`, docs and tests).
export { scanCredentials, DEFAULT_MAX_SCAN_CHARS } from './scan';
export type { CredentialScanInput, CredentialScanOptions, CredentialScanResult } from './scan';
export type { CiFlavor, CredentialFileKind } from './types';
export { classifyCredentialFile, envFolderPath, inferCiFlavor, isEnvFolderFile, isLockFile } from './files';
export { RULES, RULE_BY_ID, DETECTOR_IDS } from './rules';
export type { CredentialRule } from './rules';
export { classifyName } from './names';
export { valueVerdict } from './values';
export { LineMemo } from './extract';
export { allowFor, isGitleaksConfigName, parseGitleaksConfig, parseGitleaksIgnore } from './gitleaks';
export type { CredentialAllow, GitleaksConfig } from './gitleaks';
export { isSecretsBaselineName, parseSecretsBaseline } from './detectSecrets';
export type { SecretsBaseline } from './detectSecrets';
export { globToRegex, isGgshieldConfigName, parseGgshieldConfig } from './ggshield';
export { actionsPatternToRegex, GITHUB_SECRET_SCANNING_FILE, isGithubSecretScanningPath, parseGithubSecretScanning } from './githubSecretScanning';
