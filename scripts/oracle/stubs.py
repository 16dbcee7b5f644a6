"""Auto-stubs for third-party modules figgy-cli imports but the validate path never uses."""
import abc, importlib.abc, importlib.machinery, importlib.util, sys, types

class _Dummy:
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k):
        if len(a) == 1 and callable(a[0]) and not k:
            return a[0]
        return _Dummy()
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Dummy()
    def __iter__(self): return iter(())
    def __mro_entries__(self, bases): return (_Base,)
    def __or__(self, o): return self
    def __getitem__(self, k): return _Dummy()

class _Meta(abc.ABCMeta):
    def __getattr__(cls, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Dummy()


class _Base(metaclass=_Meta):
    def __init__(self, *a, **k): pass
    def __init_subclass__(cls, **k): pass

class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Dummy()

class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, roots, force): self.roots = set(roots); self.force = set(force)
    def find_spec(self, name, path, target=None):
        top = name.split('.')[0]
        if top in self.force:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        if top not in self.roots:
            return None
        for f in sys.meta_path:
            if f is self: continue
            try:
                spec = f.find_spec(name, path, target)
            except Exception:
                spec = None
            if spec is not None:
                return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        m = _StubModule(spec.name); m.__path__ = []; return m
    def exec_module(self, module): pass

def install(roots, force=()):
    sys.meta_path.insert(0, _Finder(roots, force))
