// Internal shapes of the credential scanner (offsets are UTF-16 indices into the scanned text).

/**
 * How a file's lines are read. `code`: another programming language (Terraform/HCL, Ruby, PHP, Java,
 * Kotlin, Groovy, C#, Scala, Swift, Rust), read like `text` except that a value must be a quoted
 * literal (an unquoted one is an expression: `for x in aws_kms_key.encryption_key : x.arn`).
 */
export type CredentialFileKind = 'yaml' | 'dotenv' | 'python' | 'shell' | 'js' | 'go' | 'json' | 'ini' | 'toml' | 'text' | 'code';
export type CiFlavor = 'github' | 'travis' | 'circleci' | 'gitlab' | 'bitbucket' | 'codebuild' | 'codedeploy' | 'jenkins';

/** A value written for a name: `NAME=v`, `name: v`, `"name": "v"`, `--name=v`, a YAML pair. */
export interface Assignment {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value as the file's reader sees it (quotes removed, escapes kept as written). */
  value: string;
  /** Offsets of the value in the text (inside the quotes). */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
  context: string;
  /** Written inside a comment: only strong evidence counts there. */
  inComment: boolean;
}

/** A span of text with a structural place (a YAML scalar, an assignment's value) for context lookup. */
export interface Place {
  start: number;
  end: number;
  context: string;
  key?: string;
  keyStart?: number;
  keyEnd?: number;
}

/** One candidate before filtering and de-duplication. */
export interface Candidate {
  rule: string;
  start: number;
  end: number;
  secret: string;
  /** From a `name` rule (generic) rather than a shape of its own (specific). */
  generic: boolean;
  key?: string;
  keyStart?: number;
  keyEnd?: number;
  context?: string;
}
