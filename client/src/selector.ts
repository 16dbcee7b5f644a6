// Which documents the language server sees. Pure data (no vscode import) so tests can check it.
// Python files are all sent: whether one declares Figs is only known after parsing it (the server
// ignores files that do not import figgy). JSON files are all sent too: real repositories name Figgy
// files otherwise (ci-config.json, figgy-dba.json...), so the server decides by their content
// (narrowed by `orchard.figgyJsonFiles`).

/** figgy-cli's search order for figgy.json, relative to the service root. */
export const FIGGY_JSON_LOCATIONS = ['figgy.json', 'figgy/figgy.json', 'config/figgy.json', '_figgy/figgy.json', '.figgy/figgy.json'] as const;

export interface FileDocumentFilter {
  scheme: 'file';
  language?: string;
  pattern?: string;
}

export const DOCUMENT_SELECTOR: FileDocumentFilter[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', pattern: '**/figgy.json' },
  { scheme: 'file', pattern: '**/figgy-secrets.json' },
  // imports named in figgy.json, kept next to it in the searched folders
  { scheme: 'file', pattern: '**/{figgy,config,_figgy,.figgy}/*.json' },
  // any other JSON file: a Figgy file when its top-level keys are Figgy's (the server checks)
  { scheme: 'file', language: 'json' },
  // twelve-factor sources and files that may hold plaintext credentials (the server classifies them)
  { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
  // folders of environment files (`.envs/.production/.django`, `env.d/development/common`)
  { scheme: 'file', pattern: '**/{env.d,.envs,envs}/**' },
  { scheme: 'file', pattern: '**/.envs/{.*,*}/{.*,*}' },
  { scheme: 'file', language: 'dotenv' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', pattern: '**/*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/Jenkinsfile' },
  // a Helm chart's named templates (`_helpers.tpl`), and its templates where an extension names them `helm`
  { scheme: 'file', pattern: '**/templates/**/*.tpl' },
  { scheme: 'file', language: 'helm' },
  // a Dockerfile's ENV provides variables to the app whose folder holds it
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,Dockerfile-*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*}' },
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'go' },
  { scheme: 'file', language: 'ini' },
  { scheme: 'file', language: 'toml' },
  // Terraform: a Lambda function's environment, and credentials in the clear (HashiCorp's extension names the language)
  { scheme: 'file', language: 'terraform' },
  { scheme: 'file', pattern: '**/*.tf' },
  // the container definitions a Terraform file renders for an ECS task (`templates/app.json.tpl`)
  { scheme: 'file', pattern: '**/*.{tftpl,json.tpl,json.tftpl,json.tmpl}' },
  { scheme: 'file', pattern: '**/*{task,container}*.tpl' },
  // other secret scanners' files (server/src/model/allowlists.ts): their warnings follow unsaved
  // edits (the TOML and JSON ones have no language in VS Code unless an extension adds one)
  { scheme: 'file', pattern: '**/{.gitleaks.toml,.secrets.baseline,.gitguardian.yaml,.gitguardian.yml,gitguardian.yaml,gitguardian.yml}' },
  { scheme: 'file', pattern: '**/.github/secret_scanning.yml' },
  // key files: a private key block committed in the clear
  { scheme: 'file', pattern: '**/*.{pem,key}' },
  { scheme: 'file', pattern: '**/id_{rsa,dsa,ecdsa,ed25519}' },
];

/** Glob for `workspace.findFiles`: any figgy.json or figgy-secrets.json (drives the welcome view). */
export const CONFIG_GLOB = '**/{figgy.json,figgy-secrets.json}';
export const CONFIG_EXCLUDE = '**/{node_modules,.git,.venv,venv,__pycache__,.tox}/**';
