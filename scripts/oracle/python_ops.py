"""CPython's own answers for the str operations Orchard evaluates statically (development tool).

Generates random cases of format(value, spec), "..." % args, str methods and repr(), runs them with
this interpreter and prints them as JSON: [{"op", "args", "result"} or {"op", "args", "raises"}].
test/parse/python-value.test.ts compares parse/pythonValue.ts with the saved output
(test/fixtures/python/cpython-ops.json).

Usage: python python_ops.py [COUNT] [SEED] > test/fixtures/python/cpython-ops.json
"""
import json
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 10)

WORDS = ['', 'a', 'abc', 'Hello World', 'ünïcode', 'x-y_z', '  pad  ', 'MiXeD cAsE', 'tab\there', "it's", 'say "hi"', 'back\\slash', 'nl\nx', 'é😀', 'ǅungla', 'ß', 'ﬁne']
FILLS = ['', '*', '0', ' ', '-', 'é']


def str_spec():
    fill = rnd.choice(FILLS)
    align = rnd.choice(['', '<', '>', '^'])
    if not align:
        fill = ''
    width = rnd.choice(['', str(rnd.randint(0, 12))])
    prec = rnd.choice(['', '', '.' + str(rnd.randint(0, 5))])
    typ = rnd.choice(['', '', 's'])
    return f'{fill}{align}{width}{prec}{typ}'


def int_spec():
    fill = rnd.choice(FILLS)
    align = rnd.choice(['', '<', '>', '^', '='])
    if not align:
        fill = ''
    sign = rnd.choice(['', '', '+', '-', ' '])
    alt = rnd.choice(['', '', '#'])
    zero = rnd.choice(['', '', '0'])
    width = rnd.choice(['', str(rnd.randint(0, 12))])
    group = rnd.choice(['', '', ',', '_'])
    typ = rnd.choice(['', 'd', 'x', 'X', 'o', 'b', 'c'])
    return f'{fill}{align}{sign}{alt}{zero}{width}{group}{typ}'


def percent_case():
    conv = rnd.choice(['s', 'r', 'a', 'd', 'i', 'x', 'X', 'o', 'c'])
    flags = ''.join(rnd.sample(['-', '0', '+', ' ', '#'], rnd.randint(0, 2)))
    width = rnd.choice(['', str(rnd.randint(1, 8))])
    prec = rnd.choice(['', '', '.' + str(rnd.randint(0, 4))]) if conv in 'sra' else ''
    fmt = f'<%{flags}{width}{prec}{conv}>'
    if conv in 'sra':
        arg = rnd.choice(WORDS + [rnd.randint(-500, 500)])
    elif conv == 'c':
        arg = rnd.choice([65, 233, 128512, 'x'])
    else:
        arg = rnd.randint(-5000, 5000)
    return fmt, arg


def method_case():
    s = rnd.choice(WORDS)
    name = rnd.choice(['lower', 'upper', 'title', 'capitalize', 'swapcase', 'casefold', 'strip', 'lstrip', 'rstrip',
                       'replace', 'zfill', 'center', 'ljust', 'rjust', 'split', 'removeprefix', 'removesuffix',
                       'startswith', 'endswith'])
    args = []
    if name in ('strip', 'lstrip', 'rstrip') and rnd.random() < 0.5:
        args = [rnd.choice([' ', 'a', 'ab', '-_', 'x'])]
    elif name == 'replace':
        args = [rnd.choice(['a', '', 'l', ' ', 'x']), rnd.choice(['', 'Z', '--'])]
        if rnd.random() < 0.4:
            args.append(rnd.randint(-1, 3))
    elif name == 'zfill':
        args = [rnd.randint(0, 10)]
    elif name in ('center', 'ljust', 'rjust'):
        args = [rnd.randint(0, 14)] + ([rnd.choice(['*', '-'])] if rnd.random() < 0.5 else [])
    elif name == 'split':
        args = [rnd.choice([' ', '-', 'l'])] if rnd.random() < 0.6 else []
    elif name in ('removeprefix', 'removesuffix', 'startswith', 'endswith'):
        args = [rnd.choice(['', 'a', 'He', 'x', 'e'])]
    return s, name, args


def run(op, args, fn):
    try:
        return {'op': op, 'args': args, 'result': fn()}
    except Exception as e:  # Python rejects it: Orchard must not produce a value either
        return {'op': op, 'args': args, 'raises': type(e).__name__}


cases = []
for _ in range(count):
    kind = rnd.choice(['fstr', 'fint', 'percent', 'method', 'repr', 'format'])
    if kind == 'fstr':
        v, spec = rnd.choice(WORDS), str_spec()
        cases.append(run('format', [v, spec], lambda: format(v, spec)))
    elif kind == 'fint':
        v, spec = rnd.choice([0, 7, -7, 42, 255, -1234567, 10 ** 12, True]), int_spec()
        cases.append(run('format', [{'int': int(v)} if not isinstance(v, bool) else {'bool': v}, spec], lambda: format(v, spec)))
    elif kind == 'percent':
        fmt, arg = percent_case()
        cases.append(run('percent', [fmt, {'int': arg} if isinstance(arg, int) else arg], lambda: fmt % arg))
    elif kind == 'method':
        s, name, args = method_case()
        enc = [{'int': a} if isinstance(a, int) else a for a in args]
        cases.append(run('method', [s, name, enc], lambda: getattr(s, name)(*args)))
    elif kind == 'repr':
        s = rnd.choice(WORDS) + rnd.choice(['', "'", '"', '\x00', '\u200b', '\x7f'])
        cases.append(run('repr', [s], lambda: repr(s)))
    else:
        fmt = rnd.choice(['{}-{}', '{1}{0}', '{a}/{b}', '{0:>5}|{1:03d}', '{{x}}{}', '{:^7}', '{0[1]}'])
        args = [rnd.choice(WORDS[:6]), rnd.randint(0, 99)]
        kwargs = {'a': 'A', 'b': 'B'}
        if fmt == '{0[1]}':
            args = [['p', 'q']]
        cases.append(run('str.format', [fmt, [{'int': a} if isinstance(a, int) else a for a in args], kwargs], lambda: fmt.format(*args, **kwargs)))

print(json.dumps(cases, indent=1, ensure_ascii=False))
