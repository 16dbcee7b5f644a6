"""figgy-cli oracle (development tool, not used by tests).

validate mode (default): runs `figgy config validate`'s own code (Validate._validate) on a figgy
JSON file against a stub Parameter Store that holds every name the file expects (a listing of the
namespace returns those under it), and prints the verdict (ok: validate passes in such an
environment; error: the file is rejected, or validate fails even there), the namespace it lists and
the names it looks for.

replication mode (--replication-only): runs `figgy config sync --replication-only`'s checks on an
owner's file (Utils.get_repl_config, Sync._fill_repl_conf_variables with each template variable
answered `${NAME}`, Sync._validate_replication_config) up to its first replication-table call and
prints the verdict and the source -> destination mapping.

Third-party modules the CLI imports but these paths never use are stubbed (stubs.py).
Usage: PYTHONPATH=<figgy-cli>/src:<this folder> python cli_oracle.py [--replication-only] FILE.json [...]
"""
import contextlib
import io
import json
import os
import sys
import types

import stubs

stubs.install(['jsonpickle', 'prompt_toolkit', 'sty', 'tqdm', 'npyscreen', 'bs4', 'keyring', 'keyrings', 'tabulate',
               'pyotp', 'u2flib_host', 'filelock', 'pygments', 'cachetools', 'flask', 'flask_cors', 'requests',
               'cryptography'], force=['pydantic', 'figgy'])

from figcli.commands.config.sync import Sync  # noqa: E402
from figcli.commands.config.validate import Validate  # noqa: E402
from figcli.extras.key_utils import KeyUtils  # noqa: E402
from figcli.io.input import Input  # noqa: E402
from figcli.utils.utils import Utils  # noqa: E402


class PerfectSsm:
    """An environment holding every parameter the file expects that a listing of `prefixes` can return."""

    def __init__(self, expected):
        self.expected = expected
        self.asked = None

    def get_all_parameters(self, prefixes, *a, **k):
        self.asked = list(prefixes)
        return [{'Name': n} for n in sorted(self.expected()) if any(n.startswith(p) for p in prefixes)]

    def __getattr__(self, name):
        raise RuntimeError(f'unexpected SSM call {name}')


def context(path):
    return types.SimpleNamespace(ci_config_path=path, replication_only=False, run_env='dev', role='dev',
                                 resource='config', defaults=types.SimpleNamespace(service_ns='/app'))


def last_line(text, fallback):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1].strip() if lines else fallback


def validate(path):
    captured = {}
    orig = KeyUtils.find_all_expected_names

    def spy(*args, **kwargs):
        r = orig(*args, **kwargs)
        captured['names'] = r
        return r

    KeyUtils.find_all_expected_names = staticmethod(spy)
    ssm = PerfectSsm(lambda: captured['names'])
    out = io.StringIO()
    answer = {}
    try:
        with contextlib.redirect_stdout(out):
            Validate(ssm, False, context(path))._validate()
        answer['verdict'] = 'ok'
    except SystemExit as e:
        answer = {'verdict': 'error', 'error': last_line(out.getvalue(), f'exit {e.code}')}
    except Exception as e:  # a crash in figgy-cli rejects the file too
        return {'verdict': 'error', 'error': f'{type(e).__name__}: {e}'}
    finally:
        KeyUtils.find_all_expected_names = orig
    if ssm.asked is not None:
        answer['namespace'] = ssm.asked[0]
        answer['names'] = sorted(captured['names'])
    return answer


def replication_only(path):
    out = io.StringIO()
    orig_input = Input.input
    # Each template variable is answered with its own `${NAME}`, so the mapping shows where it was substituted.
    Input.input = staticmethod(lambda message, *a, **k: '${' + message.split()[-1].rstrip(':') + '}')
    try:
        with contextlib.redirect_stdout(out):
            fake = types.SimpleNamespace(_utils=Utils(False), c=Utils(False).c, _config_path=path, context=context(path))
            conf = fake._utils.get_repl_config(path)
            conf = Sync._fill_repl_conf_variables(fake, conf)
            Sync._validate_replication_config(fake, conf, app_conf=False)
        return {'verdict': 'ok', 'replicate_figs': conf}
    except SystemExit as e:
        return {'verdict': 'error', 'error': last_line(out.getvalue(), f'exit {e.code}')}
    except Exception as e:
        return {'verdict': 'error', 'error': f'{type(e).__name__}: {e}'}
    finally:
        Input.input = orig_input


if __name__ == '__main__':
    args = sys.argv[1:]
    mode = validate
    if args and args[0] == '--replication-only':
        mode = replication_only
        args = args[1:]
    print(json.dumps({p: mode(os.path.abspath(p)) for p in args}, indent=1, sort_keys=True))
