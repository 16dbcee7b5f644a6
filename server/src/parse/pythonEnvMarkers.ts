// The text tests of environment extraction (pythonEnv.ts): whether a file can hold anything it
// records at all (mayReadEnv), and which statements are worth mirroring and analysing. Regular
// expressions only, linear in the text; pure.

const MAY_READ =
  /\benviron\b|getenv|putenv|BaseSettings|^[ \t]*class[ \t]+\w+[ \t]*\([^)\n]*Settings\b|^[ \t]*from[ \t]+[.\w]+[ \t]+import[ \t][^\n]*Settings\b|from_prefixed_env|flask_base|load_dotenv|dotenv_values|read_env|dj_database_url|decouple|configurations|mitol\.common|dynaconf|everett|^[ \t]*from[ \t]+(?!django\.)[.\w]+[ \t]+import[ \t][^\n]*\b(?:settings|config)\b|\benv\s*[.(]|\bEnv\b|\.config\b|^from[ \t]+[.\w]+[ \t]+import[ \t]+\*|["'][A-Z_][A-Z0-9_]+["']|^[ \t]*[A-Z_][A-Z0-9_]*[ \t]*(?::[^=\n]*)?=[ \t]*[rRuUfF]{0,2}["']/m;

/**
 * Cheap text pre-test: false when the file cannot hold anything extractEnvFacts records (no
 * environment access, settings class (or a class deriving from, or an import of, one named `…Settings`), dotenv/django-environ/Flask config use, UPPER_SNAKE string
 * literal or string constant, star import: a settings module that only extends its base, whose
 * imports tell which modules run; a `settings` / `config` object imported from the project, which
 * may be a dynaconf instance read by attribute). Linear in the text; safe on a multi-megabyte single line.
 */
export function mayReadEnv(text: string): boolean {
  return MAY_READ.test(text);
}

/** Statement text worth mirroring: something that reads, writes, logs or names a variable. */
export const MARKER =
  /environ|getenv|putenv|\benv\b|\bEnv\b|[Ss]ettings|[Cc]onfig|Value\(|dotenv|FlaskBase|get_flask_env|get_(?:string|bool|int|list_literal|delimited_list|crontab_kwargs|features)\b|read_env|dj_database_url|decouple|print|[Ll]og|warn|echo|console|stdout|stderr|subprocess|Popen|\bexec|spawn|\b[fF][rR]?["']|\b[rR][fF]["']|[(,[{]\s*[rRuU]?["'][A-Z_][A-Z0-9_]*["']|[(,=+%[]\s*[A-Z_][A-Z0-9_]*\s*[,)+%\]]/;
/**
 * The statements of a FigStore class body (`class Figs(FigStore):`, Figgy's declarations): only
 * what reads, writes or logs a variable. Its attributes are no module constants, and an
 * UPPER_SNAKE name among call arguments there is a Fig (`MergeFig(pattern=[DB_USER, ...])`), not a
 * variable's name (a helper called with an UPPER_SNAKE literal, `AppFig(get_env("X"))`, still is);
 * the generated 2,000-service tree spent 70% of its environment extraction there.
 */
export const FIGSTORE_MARKER = /environ|getenv|putenv|\benv\b|\bEnv\b|[Ss]ettings|[Cc]onfig|dotenv|read_env|dj_database_url|decouple|print|[Ll]og|warn|echo|console|stdout|stderr|subprocess|Popen|\bexec|spawn|[(,[]\s*[rRuU]?["'][A-Z_][A-Z0-9_]*["']/;
/** `NAME = "..."`, `NAME = (f"..."`, `NAME = OTHER + ...`: a possible constant. */
export const CONST_LIKE = /^[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=[ \t]*(?:\(?[ \t]*[rRuUfF]{0,2}["']|\w+[ \t]*[+%]|\d+[ \t]*$)/;
export const ASSIGN_START = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/;
export const ASSIGN_LINES = /^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/gm;
