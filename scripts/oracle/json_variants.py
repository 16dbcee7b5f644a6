"""Random figgy.json variants for the oracle (development tool): twigs with and without slashes or
empty, names relative / absolute / with `//` / the twig itself / under another twig, merged lists and
strings with references and literal paths, replicate_from with and without its parts, old key names.
Each goes to DIR/<n>/figgy.json; scripts/oracle/measure.ts then compares Orchard with figgy-cli.

Usage: python json_variants.py SEED COUNT DIR
"""
import json, random, os, shutil, sys
rnd = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 150
root = sys.argv[3] if len(sys.argv) > 3 else 'json-variants'
shutil.rmtree(root, ignore_errors=True)
TWIGS = ['/app/svc', '/app/svc/', 'app/svc', '/app/svc//', '/app/other', '', '/app/a-b_c']
def name(tw):
    t = tw.rstrip('/') if tw else '/app/svc'
    return rnd.choice(['a', 'b/c', '/a', '//a', t + '/a', t, t + 'x/y', '/app/other/z', 'a/', t + '/' , 'x.y', 'é'])
for i in range(N):
    o = {}
    tw = rnd.choice(TWIGS + [None, None])
    if tw is not None: o['twig'] = tw
    if rnd.random() < 0.8: o['app_figs'] = [name(tw) for _ in range(rnd.randint(0, 4))]
    if rnd.random() < 0.5: o['shared_figs'] = [name(tw) for _ in range(rnd.randint(0, 3))]
    if rnd.random() < 0.5: o['replicate_figs'] = {rnd.choice(['/shared/a', '/shared/b', '/dba/c', '/app/other/d']) + str(k): name(tw) for k in range(rnd.randint(0, 3))}
    if rnd.random() < 0.5:
        t = (tw or '/app/svc').rstrip('/')
        def el():
            return rnd.choice(['x://', ':', '${%s/u}' % t, '${%s/p:uri}' % t, '${/shared/o}', t + '/lit', '${%s/q}x' % t, 'pre${%s/r}' % t, '${%s}' % name(tw)])
        o['merged_figs'] = {rnd.choice([t + '/m', 'm', '/app/other/m']) + str(k): ([el() for _ in range(rnd.randint(0, 4))] if rnd.random() < 0.8 else ''.join(el() for _ in range(3))) for k in range(rnd.randint(1, 2))}
    if rnd.random() < 0.3:
        rf = {}
        if rnd.random() < 0.8: rf['source_twig'] = rnd.choice(['/app/up', '/app/up/', ''])
        if rnd.random() < 0.8: rf[rnd.choice(['parameters', 'parameters', 'figs'])] = [rnd.choice(['p', '/p', 'p/q'])]
        o['replicate_from'] = rf
    if rnd.random() < 0.15: o[rnd.choice(['namespace', 'app_parameters', 'shared_parameters'])] = rnd.choice(['/app/old/', ['/app/old/a']])
    if rnd.random() < 0.1: o['service'] = 'x'
    d = os.path.join(root, str(i)); os.makedirs(d)
    open(os.path.join(d, 'figgy.json'), 'w').write(json.dumps(o, indent=2, ensure_ascii=False))
