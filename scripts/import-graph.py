#!/usr/bin/env python3
"""The import graph of app/src/backend, as files or (--folders) as rooms, a
folder counting as one: imports, circles, and (--floors) each room's floor.
--check exits 1 when there is a circle at either level (make test runs it).
Reads `crate::backend::`, `super::` and `self::` paths in the source; tests
and comments are left out.

    scripts/import-graph.py [REPO] [--folders] [--floors] [-v] [--check]
"""
import os,re,sys
args=[a for a in sys.argv[1:] if not a.startswith('-')]
root=os.path.join(args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__))),'app/src/backend')
files={}
for d,_,fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p=os.path.join(d,f); rel=os.path.relpath(p,root); mod=rel[:-3]
            if mod.endswith('/mod'): mod=mod[:-4]
            if mod=='mod': mod=''
            files[mod]=open(p).read()
mods=set(files)
REEXPORT={'BackendError':'error','BackendResult':'error','AppState':'state','MIGRATOR':''}
def resolve(parts):
    for n in range(len(parts),0,-1):
        m='/'.join(parts[:n])
        if m in mods: 
            if m=='' : break
            return m
    if parts and parts[0] in REEXPORT: return REEXPORT[parts[0]] or None
    return None
def expand(prefix, rest):
    """rest is text after 'crate::backend::' possibly with braces; yield paths."""
    rest=rest.strip()
    if rest.startswith('{'):
        depth=0; cur=''; items=[]
        for ch in rest[1:]:
            if ch=='{': depth+=1
            if ch=='}':
                if depth==0: items.append(cur); break
                depth-=1
            if ch==',' and depth==0: items.append(cur); cur=''; continue
            cur+=ch
        for it in items:
            it=it.strip()
            if not it or it=='self': 
                if prefix: yield prefix
                continue
            m=re.match(r'([A-Za-z_0-9]+(?:::[A-Za-z_0-9]+)*)(::\{.*)?',it,re.S)
            if not m: continue
            head=m.group(1).split('::')
            if m.group(2):
                yield from expand(prefix+head, m.group(2)[2:])
            else:
                yield prefix+head
    else:
        m=re.match(r'([A-Za-z_0-9]+(?:::[A-Za-z_0-9]+)*)(::\{)?',rest)
        if not m: return
        head=m.group(1).split('::')
        if m.group(2):
            yield from expand(prefix+head, rest[len(m.group(1))+2:])
        else:
            yield prefix+head
edges={}
for mod,text in files.items():
    text=re.split(r'#\[cfg\(test\)\]\s*mod tests',text)[0]
    text=re.sub(r'//[^\n]*','',text)
    base=mod.split('/') if mod else []
    def sup(m):
        ups=m.group(0).count('super::')
        cur=base[:len(base)-ups]
        return 'crate::backend::'+''.join(c+'::' for c in cur)
    text=re.sub(r'\b(?:super::)+',sup,text)
    text=re.sub(r'\bself::', 'crate::backend::'+''.join(c+'::' for c in base), text)
    # child modules via `mod x;` use bare paths like `x::f` - ignore
    targets=set()
    for m in re.finditer(r'crate::backend::',text):
        for path in expand([], text[m.end():m.end()+600]):
            t=resolve(path)
            if t is not None and t!=mod and t!='': targets.add(t)
    edges[mod]=targets
edges.pop('',None)
if '--check' in sys.argv:
    import subprocess
    bad=0
    for level in ([], ['--folders']):
        out=subprocess.run([sys.executable, __file__, root[:-len('/app/src/backend')]]+level, capture_output=True, text=True).stdout
        print(('folders: ' if level else 'files:   ')+out.splitlines()[0])
        if ' circles 0' not in out.splitlines()[0]:
            print(out); bad=1
    sys.exit(bad)
for k in edges: edges[k].discard('')
if '--folders' in sys.argv:
    fold=lambda m: m.split('/')[0]
    ne={}
    for a,ts in edges.items():
        ne.setdefault(fold(a),set())
        for b in ts:
            if fold(b)!=fold(a): ne[fold(a)].add(fold(b))
    edges=ne
index={};low={};st=[];on=set();sccs=[];i=[0]
sys.setrecursionlimit(10000)
def sc(v):
    index[v]=low[v]=i[0];i[0]+=1;st.append(v);on.add(v)
    for w in edges.get(v,()):
        if w not in edges: continue
        if w not in index: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        c=[]
        while True:
            w=st.pop();on.discard(w);c.append(w)
            if w==v:break
        sccs.append(c)
for v in list(edges):
    if v not in index: sc(v)
cycles=[c for c in sccs if len(c)>1]
print(f"rooms {len(edges)} imports {sum(len(v) for v in edges.values())} circles {len(cycles)}")
for c in cycles:
    print(' circle', len(c), sorted(c)); cs=set(c)
    for a in sorted(c):
        for b in sorted(edges[a]):
            if b in cs: print('   ',a,'->',b)
if '--floors' in sys.argv and not cycles:
    floor={}
    def f(v):
        if v in floor: return floor[v]
        floor[v]=1+max([f(w) for w in edges.get(v,()) if w in edges] or [0]); return floor[v]
    for v in edges: f(v)
    by={}
    for v,k in floor.items(): by.setdefault(k,[]).append(v)
    for k in sorted(by): print(k, ' '.join(sorted(by[k])))
if '-v' in sys.argv:
    for a in sorted(edges): print('  ',a,'->',' '.join(sorted(edges[a])))
