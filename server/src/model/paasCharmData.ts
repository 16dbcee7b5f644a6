// paas-charm's environment mapping as data: per framework, the variable prefixes, the framework
// settings (pydantic fields fed by charm options) and the options charmcraft's extension injects;
// per integration, the variables it adds. Read from canonical/paas-charm branch v1 (1.12.2):
// `src/paas_charm/app.py` (gen_environment, generate_*_env), `charm_state.py`
// (is_user_defined_config, user_defined_config), `charm.py` (which endpoint names are wired),
// `{flask,django,fastapi,go,expressjs,springboot}/charm.py` (framework configs), and from
// canonical/charmcraft `charmcraft/extensions/app.py` (injected options and their defaults).
// Version 2 (2.0.dev0 on paas-charm's main branch, unreleased) is described where it differs.
import type { CharmFramework, CharmOptionType } from '../parse/envTypes';

/** A framework setting: a pydantic field of the framework config, fed by a charm option. */
export interface FieldSpec {
  /** Field name; the variable is `builtinPrefix + FIELD.upper()`. */
  field: string;
  /** The option (pydantic alias) that sets it; absent when no charm option does (2.x ports come from paas-config.yaml). */
  option?: string;
  type: CharmOptionType | 'list';
  /** The field's own default when the option is unset (pydantic default); undefined = None (not exported). */
  fieldDefault?: string | number | boolean;
  /** `preferred_url_scheme` is upper-cased; `allowed_hosts` is a JSON list with the app's host appended. */
  transform?: 'upper' | 'hosts';
  sensitive?: boolean;
  /** Another option that also sets this field (`flask-secret-key-id`: a Juju secret whose key `value` is used). */
  alsoFrom?: string;
}

export interface InjectedOption {
  type: CharmOptionType;
  default?: string | number | boolean;
}

export interface FrameworkSpec {
  /** `configuration_prefix`: user options, `BASE_URL`, `SECRET_KEY`, `PEER_FQDNS`. */
  prefix: string;
  /** `framework_config_prefix`: framework settings. */
  builtinPrefix: string;
  fields: FieldSpec[];
  /** Options charmcraft's `<framework>-framework` extension adds to the charm. */
  injected: Record<string, InjectedOption>;
  /** 2.x: `{builtinPrefix}METRICS_PORT` / `_PATH` always exported, with these defaults (none: not exported). */
  metrics?: { port: number; path: string };
  /** Variables that are not options and not fields (ExpressJS has none; Spring adds properties). */
  extra?: { name: string; value?: string; availability: 'always' | 'when-set'; option?: string; detail: string }[];
}

const GUNICORN: Record<string, InjectedOption> = {
  'webserver-keepalive': { type: 'int' },
  'webserver-threads': { type: 'int' },
  'webserver-timeout': { type: 'int' },
  'webserver-workers': { type: 'int' },
  'webserver-worker-class': { type: 'string' },
};

const APP_PORT: Record<string, InjectedOption> = { 'app-port': { type: 'int', default: 8080 } };
const METRICS: Record<string, InjectedOption> = { 'metrics-port': { type: 'int', default: 8080 }, 'metrics-path': { type: 'string', default: '/metrics' } };
const SECRET: Record<string, InjectedOption> = { 'app-secret-key': { type: 'string' }, 'app-secret-key-id': { type: 'secret' } };

const V1: Record<CharmFramework, FrameworkSpec> = {
  flask: {
    prefix: 'FLASK_',
    builtinPrefix: 'FLASK_',
    fields: [
      { field: 'env', option: 'flask-env', type: 'string' },
      { field: 'debug', option: 'flask-debug', type: 'boolean' },
      { field: 'secret_key', option: 'flask-secret-key', type: 'string', sensitive: true, alsoFrom: 'flask-secret-key-id' },
      { field: 'permanent_session_lifetime', option: 'flask-permanent-session-lifetime', type: 'int' },
      { field: 'application_root', option: 'flask-application-root', type: 'string' },
      { field: 'session_cookie_secure', option: 'flask-session-cookie-secure', type: 'boolean' },
      { field: 'preferred_url_scheme', option: 'flask-preferred-url-scheme', type: 'string', transform: 'upper' },
    ],
    injected: {
      ...GUNICORN,
      'flask-application-root': { type: 'string' },
      'flask-debug': { type: 'boolean' },
      'flask-env': { type: 'string' },
      'flask-permanent-session-lifetime': { type: 'int' },
      'flask-preferred-url-scheme': { type: 'string', default: 'HTTPS' },
      'flask-secret-key': { type: 'string' },
      'flask-secret-key-id': { type: 'secret' },
      'flask-session-cookie-secure': { type: 'boolean' },
    },
  },
  django: {
    prefix: 'DJANGO_',
    builtinPrefix: 'DJANGO_',
    fields: [
      { field: 'debug', option: 'django-debug', type: 'boolean' },
      { field: 'secret_key', option: 'django-secret-key', type: 'string', sensitive: true, alsoFrom: 'django-secret-key-id' },
      { field: 'allowed_hosts', option: 'django-allowed-hosts', type: 'list', transform: 'hosts' },
    ],
    injected: {
      ...GUNICORN,
      'django-debug': { type: 'boolean', default: false },
      'django-secret-key': { type: 'string' },
      'django-secret-key-id': { type: 'secret' },
      'django-allowed-hosts': { type: 'string' },
    },
  },
  fastapi: {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: [
      { field: 'uvicorn_port', option: 'webserver-port', type: 'int', fieldDefault: 8080 },
      { field: 'uvicorn_host', option: 'webserver-host', type: 'string', fieldDefault: '0.0.0.0' },
      { field: 'web_concurrency', option: 'webserver-workers', type: 'int', fieldDefault: 1 },
      { field: 'uvicorn_log_level', option: 'webserver-log-level', type: 'string', fieldDefault: 'info' },
      { field: 'metrics_port', option: 'metrics-port', type: 'int' },
      { field: 'metrics_path', option: 'metrics-path', type: 'string' },
      { field: 'app_secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: {
      'webserver-workers': { type: 'int', default: 1 },
      'webserver-port': { type: 'int', default: 8080 },
      'webserver-log-level': { type: 'string', default: 'info' },
      ...METRICS,
      ...SECRET,
    },
  },
  go: {
    prefix: 'APP_',
    builtinPrefix: 'APP_',
    fields: [
      { field: 'port', option: 'app-port', type: 'int', fieldDefault: 8080 },
      { field: 'metrics_port', option: 'metrics-port', type: 'int' },
      { field: 'metrics_path', option: 'metrics-path', type: 'string' },
      { field: 'secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: { ...APP_PORT, ...METRICS, ...SECRET },
  },
  expressjs: {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: [
      { field: 'node_env', option: 'node-env', type: 'string', fieldDefault: 'production' },
      { field: 'port', option: 'app-port', type: 'int', fieldDefault: 8080 },
      { field: 'metrics_port', option: 'metrics-port', type: 'int' },
      { field: 'metrics_path', option: 'metrics-path', type: 'string' },
      { field: 'app_secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: { ...APP_PORT, ...METRICS, ...SECRET },
  },
  'spring-boot': {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: [
      { field: 'server_port', option: 'app-port', type: 'int', fieldDefault: 8080 },
      { field: 'app_profiles', option: 'app-profiles', type: 'string' },
      // The option is `metrics-port` but the field is not `metrics_port`: the option also leaks
      // to the app as a user option, APP_METRICS_PORT (visible in paas-charm's own Spring tests).
      { field: 'management_server_port', option: 'metrics-port', type: 'int', fieldDefault: 8080 },
      { field: 'metrics_path', option: 'metrics-path', type: 'string', fieldDefault: '/actuator/prometheus' },
      { field: 'secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: {
      ...APP_PORT,
      'app-profiles': { type: 'string' },
      'metrics-port': { type: 'int', default: 8080 },
      'metrics-path': { type: 'string', default: '/actuator/prometheus' },
      ...SECRET,
    },
  },
};

// 2.0.dev0 (paas-charm main, unreleased): `framework_config_prefix` defaults to "" (Go's settings
// lose APP_), the application port and metrics endpoint move to paas-config.yaml (no charm option;
// `{builtinPrefix}METRICS_PORT` / `_PATH` always exported with per-framework defaults, Spring drops
// them), FastAPI's default port becomes 8000, and Flask/Django read their secret key from
// `app-secret-key` / `app-secret-key-id` (still exported as FLASK_SECRET_KEY / DJANGO_SECRET_KEY).
const V2: Record<CharmFramework, FrameworkSpec> = {
  flask: {
    ...V1.flask,
    fields: V1.flask.fields.map((f) => (f.field === 'secret_key' ? { ...f, option: 'app-secret-key', alsoFrom: 'app-secret-key-id' } : f)),
    injected: Object.fromEntries([...Object.entries(V1.flask.injected).filter(([k]) => !k.startsWith('flask-secret-key')), ...Object.entries(SECRET)]),
    metrics: { port: 9102, path: '/metrics' },
  },
  django: {
    ...V1.django,
    fields: V1.django.fields.map((f) => (f.field === 'secret_key' ? { ...f, option: 'app-secret-key', alsoFrom: 'app-secret-key-id' } : f)),
    injected: Object.fromEntries([...Object.entries(V1.django.injected).filter(([k]) => !k.startsWith('django-secret-key')), ...Object.entries(SECRET)]),
    metrics: { port: 9102, path: '/metrics' },
  },
  fastapi: {
    ...V1.fastapi,
    fields: V1.fastapi.fields.filter((f) => !f.field.startsWith('metrics_')).map((f) => (f.field === 'uvicorn_port' ? { ...f, fieldDefault: 8000 } : f)),
    injected: Object.fromEntries(Object.entries(V1.fastapi.injected).filter(([k]) => !k.startsWith('metrics-'))),
    metrics: { port: 8000, path: '/metrics' },
  },
  go: {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: [
      { field: 'port', type: 'int', fieldDefault: 8080 },
      { field: 'app_secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: { ...SECRET },
    metrics: { port: 8080, path: '/metrics' },
  },
  expressjs: {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: [
      { field: 'node_env', option: 'node-env', type: 'string', fieldDefault: 'production' },
      { field: 'port', type: 'int', fieldDefault: 8080 },
      { field: 'app_secret_key', option: 'app-secret-key', type: 'string', sensitive: true, alsoFrom: 'app-secret-key-id' },
    ],
    injected: { ...SECRET },
    metrics: { port: 9464, path: '/metrics' },
  },
  'spring-boot': {
    prefix: 'APP_',
    builtinPrefix: '',
    fields: V1['spring-boot'].fields.filter((f) => f.field !== 'management_server_port' && f.field !== 'metrics_path'),
    injected: { ...APP_PORT, 'app-profiles': { type: 'string' }, ...SECRET },
  },
};

export function frameworkSpec(fw: CharmFramework, major: 1 | 2 = 1): FrameworkSpec {
  return (major === 2 ? V2 : V1)[fw];
}

/** `generate_*_env` of app.py, for the endpoints paas-charm wires by name and interface. */
export interface IntegrationSpec {
  /** The endpoint name paas-charm creates its requirer with. */
  endpoint: string;
  interface: string;
  vars: string[];
  /** Variables holding credentials. */
  sensitive: string[];
  /** Spring Boot's own property names instead (or in addition, `both`). */
  spring?: { vars: string[]; sensitive: string[]; both?: boolean };
}

const URL_PARTS = ['CONNECT_STRING', 'SCHEME', 'NETLOC', 'PATH', 'PARAMS', 'QUERY', 'FRAGMENT', 'USERNAME', 'PASSWORD', 'HOSTNAME', 'PORT'];
const dbVars = (p: string) => [...URL_PARTS.map((x) => `${p}_DB_${x}`), `${p}_DB_NAME`];
const dbSecret = (p: string) => [`${p}_DB_CONNECT_STRING`, `${p}_DB_NETLOC`, `${p}_DB_PASSWORD`];
const SPRING_DATASOURCE = ['spring.datasource.url', 'spring.jpa.hibernate.ddl-auto', 'spring.datasource.username', 'spring.datasource.password'];

/** Databases: paas-charm maps the interface to a name and creates the requirer under that endpoint name. */
export const DATABASE_INTERFACES: Record<string, string> = { postgresql_client: 'postgresql', mysql_client: 'mysql', mongodb_client: 'mongodb' };

export const INTEGRATIONS: IntegrationSpec[] = [
  {
    endpoint: 'postgresql',
    interface: 'postgresql_client',
    vars: dbVars('POSTGRESQL'),
    sensitive: dbSecret('POSTGRESQL'),
    spring: { vars: SPRING_DATASOURCE, sensitive: ['spring.datasource.password'], both: true },
  },
  {
    endpoint: 'mysql',
    interface: 'mysql_client',
    vars: dbVars('MYSQL'),
    sensitive: dbSecret('MYSQL'),
    spring: { vars: SPRING_DATASOURCE, sensitive: ['spring.datasource.password'], both: true },
  },
  // Spring Boot replaces MONGODB_DB_* by one property.
  { endpoint: 'mongodb', interface: 'mongodb_client', vars: dbVars('MONGODB'), sensitive: dbSecret('MONGODB'), spring: { vars: ['spring.data.mongodb.uri'], sensitive: ['spring.data.mongodb.uri'] } },
  {
    endpoint: 'redis',
    interface: 'redis',
    vars: dbVars('REDIS'),
    sensitive: dbSecret('REDIS'),
    spring: {
      vars: ['spring.data.redis.url', 'spring.data.redis.host', 'spring.data.redis.port', 'spring.data.redis.username', 'spring.data.redis.password'],
      sensitive: ['spring.data.redis.url', 'spring.data.redis.password'],
    },
  },
  {
    endpoint: 'valkey',
    interface: 'valkey_client',
    vars: [...dbVars('VALKEY'), 'VALKEY_DB_READ_ONLY_ENDPOINTS', 'VALKEY_DB_SENTINEL_ENDPOINTS', 'VALKEY_MODE', 'VALKEY_VERSION'],
    sensitive: dbSecret('VALKEY'),
  },
  {
    endpoint: 'rabbitmq',
    interface: 'rabbitmq',
    vars: [...URL_PARTS.map((x) => `RABBITMQ_${x}`), 'RABBITMQ_VHOST', 'RABBITMQ_CONNECT_STRINGS'],
    sensitive: ['RABBITMQ_CONNECT_STRING', 'RABBITMQ_NETLOC', 'RABBITMQ_PASSWORD', 'RABBITMQ_CONNECT_STRINGS'],
    spring: {
      vars: ['spring.rabbitmq.virtual-host', 'spring.rabbitmq.username', 'spring.rabbitmq.password', 'spring.rabbitmq.host', 'spring.rabbitmq.port'],
      sensitive: ['spring.rabbitmq.password'],
    },
  },
  {
    endpoint: 's3',
    interface: 's3',
    vars: ['S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION', 'S3_STORAGE_CLASS', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_PATH', 'S3_API_VERSION', 'S3_URI_STYLE', 'S3_ADDRESSING_STYLE', 'S3_ATTRIBUTES', 'S3_TLS_CA_CHAIN'],
    sensitive: ['S3_ACCESS_KEY', 'S3_SECRET_KEY'],
    spring: {
      vars: ['spring.cloud.aws.credentials.accessKey', 'spring.cloud.aws.credentials.secretKey', 'spring.cloud.aws.s3.bucket', 'spring.cloud.aws.region.static', 'spring.cloud.aws.s3.endpoint'],
      sensitive: ['spring.cloud.aws.credentials.accessKey', 'spring.cloud.aws.credentials.secretKey'],
    },
  },
  {
    endpoint: 'saml',
    interface: 'saml',
    vars: ['SAML_ENTITY_ID', 'SAML_METADATA_URL', 'SAML_SINGLE_SIGN_ON_REDIRECT_URL', 'SAML_SIGNING_CERTIFICATE'],
    sensitive: [],
    spring: {
      vars: [
        'spring.security.saml2.relyingparty.registration.testentity.assertingparty.metadata-uri',
        'spring.security.saml2.relyingparty.registration.testentity.entity-id',
        'spring.security.saml2.relyingparty.registration.testentity.assertingparty.singlesignin.url',
        'spring.security.saml2.relyingparty.registration.testentity.assertingparty.verification.credentials[0].certificate-location',
      ],
      sensitive: [],
    },
  },
  {
    endpoint: 'smtp',
    interface: 'smtp',
    vars: ['SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD', 'SMTP_AUTH_TYPE', 'SMTP_TRANSPORT_SECURITY', 'SMTP_DOMAIN', 'SMTP_SKIP_SSL_VERIFY'],
    sensitive: ['SMTP_PASSWORD'],
    spring: {
      vars: ['spring.mail.host', 'spring.mail.port', 'spring.mail.username', 'spring.mail.password', 'spring.mail.properties.mail.smtp.auth', 'spring.mail.properties.mail.smtp.starttls.enable'],
      sensitive: ['spring.mail.password'],
    },
  },
  { endpoint: 'tracing', interface: 'tracing', vars: ['OTEL_SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT'], sensitive: [] },
  {
    endpoint: 'openfga',
    interface: 'openfga',
    vars: ['FGA_STORE_ID', 'FGA_TOKEN', 'FGA_GRPC_API_URL', 'FGA_HTTP_API_URL'],
    sensitive: ['FGA_TOKEN'],
    spring: { vars: ['openfga.store-id', 'openfga.credentials.method', 'openfga.credentials.config.api-token', 'openfga.api-url'], sensitive: ['openfga.credentials.config.api-token'] },
  },
];

/** Proxy variables: from the `http-proxy` integration (endpoint `http-proxy`, interface `http_proxy`) or Juju's model proxy settings. */
export const PROXY_VARS = ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

/** Spring Boot, without a tracing integration, switches the OpenTelemetry exporters off. */
export const SPRING_OTEL_OFF = ['OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER'];

/** `generate_oauth_env`: `{FLASK|DJANGO|APP}_{ENDPOINT}_…` (endpoint upper-cased, `-` kept). */
export const OAUTH_SUFFIXES = ['CLIENT_ID', 'CLIENT_SECRET', 'API_BASE_URL', 'AUTHORIZE_URL', 'ACCESS_TOKEN_URL', 'USER_URL', 'CLIENT_KWARGS', 'JWKS_URL'];
export const OAUTH_SENSITIVE = ['CLIENT_SECRET'];

/** Spring Boot's OAuth properties (`{ep}` is the endpoint name as written). */
export function springOauthVars(ep: string): string[] {
  const reg = `spring.security.oauth2.client.registration.${ep}`;
  const prov = `spring.security.oauth2.client.provider.${ep}`;
  return [
    `${reg}.client-id`,
    `${reg}.client-secret`,
    `${reg}.redirect-uri`,
    `${reg}.scope`,
    `${reg}.user-name-attribute`,
    `${prov}.authorization-uri`,
    `${prov}.issuer-uri`,
    `${prov}.jwk-set-uri`,
    `${prov}.token-uri`,
    `${prov}.user-info-uri`,
    `${prov}.user-name-attribute`,
    `${reg}.authorization-grant-type`,
  ];
}

/** Options charmcraft adds per endpoint of interface `oauth` (they reach the app as user options). */
export function oauthInjectedOptions(fw: CharmFramework, ep: string): Record<string, InjectedOption> {
  const out: Record<string, InjectedOption> = {
    [`${ep}-redirect-path`]: { type: 'string', default: fw === 'spring-boot' ? `/login/oauth2/code/${ep}` : '/callback' },
    [`${ep}-scopes`]: { type: 'string', default: 'openid profile email' },
  };
  if (fw === 'spring-boot') out[`${ep}-user-name-attribute`] = { type: 'string', default: 'sub' };
  return out;
}

/** Juju secret keys (juju core; ops' `Secret._key_re`). */
export const JUJU_SECRET_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

/** The framework an app of this framework name belongs to, as paas-charm spells it in prefixes (`spring-boot-`). */
export const FRAMEWORK_NAMES: readonly CharmFramework[] = ['flask', 'django', 'fastapi', 'go', 'expressjs', 'spring-boot'];
