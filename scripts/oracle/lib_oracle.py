"""figgy-lib oracle (development tool, not used by tests).

Imports a config.py with the real figgy-lib on PYTHONPATH, creates each FigStore subclass the file
defines with lazy_load=True over a FigService whose SSM client refuses every call, writes figgy.json
with ConfigWriter, and prints per file, as JSON: the verdict (ok / error and where it failed), and
per class its TWIG, each Fig's full name and the exact figgy.json text.

Each class is created in a fresh import of the file, as an application creates one store: Fig
objects are shared class attributes whose twig the store constructor sets, so creating one store
would otherwise change what another renders. A FigStore subclass without TWIG that another class
of the file subclasses is a base class and is only created through its subclasses.

Usage: PYTHONPATH=<figgy.python.lib>/src python lib_oracle.py config.py [...]
"""
import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import sys
import tempfile

from figgy import ConfigWriter, FigService, FigStore
from figgy.figs import AppFig, MergeFig, ReplicatedFig, SharedFig


class RefusingSsm:
    def __getattr__(self, name):
        raise RuntimeError(f'SSM call {name} refused by the oracle')


_count = 0


def load(path):
    """A fresh module object for `path`, or the exception its import raised."""
    global _count
    _count += 1
    name = f'orchard_oracle_{_count}'
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    with contextlib.redirect_stdout(io.StringIO()):
        spec.loader.exec_module(mod)
    return mod


def store_classes(mod):
    """FigStore subclasses defined by the module, bases included, in first-seen order."""
    out = []
    for v in list(vars(mod).values()):
        if not (isinstance(v, type) and issubclass(v, FigStore) and v is not FigStore):
            continue
        for c in v.__mro__:
            if issubclass(c, FigStore) and c is not FigStore and c.__module__ == mod.__name__ and c not in out:
                out.append(c)
    return out


def kind_of(item):
    for k in (AppFig, SharedFig, ReplicatedFig, MergeFig):
        if isinstance(item, k):
            return k.__name__
    return None


def describe(e):
    return f'{type(e).__name__}: {e}'


def run_class(path, qualname):
    mod = load(path)
    cls = next(c for c in store_classes(mod) if c.__qualname__ == qualname)
    entry = {'class': qualname}
    try:
        store = cls(FigService(RefusingSsm()), lazy_load=True)
        entry['twig'] = store.TWIG
        names = {}
        for attr in store.figs:
            item = getattr(store, attr)
            if kind_of(item):
                names[attr] = item.name
        entry['names'] = names
        with tempfile.TemporaryDirectory() as d:
            ConfigWriter.write(store, destination_dir=d)
            with open(os.path.join(d, 'figgy.json'), 'rb') as fh:
                entry['json'] = fh.read().decode('utf-8')
    except Exception as e:
        entry['error'] = describe(e)
    return entry


def run(path):
    result = {'verdict': 'ok', 'classes': []}
    try:
        mod = load(path)
    except BaseException as e:
        return {'verdict': 'error', 'stage': 'import', 'error': describe(e), 'classes': []}
    classes = store_classes(mod)
    for cls in classes:
        subclassed = any(o is not cls and issubclass(o, cls) for o in classes)
        if subclassed and not hasattr(cls, 'TWIG'):
            continue
        entry = run_class(path, cls.__qualname__)
        if 'error' in entry:
            result['verdict'] = 'error'
            result['stage'] = 'store'
        result['classes'].append(entry)
    return result


if __name__ == '__main__':
    print(json.dumps({p: run(p) for p in sys.argv[1:]}, indent=1, sort_keys=True))
