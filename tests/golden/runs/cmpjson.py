# cmpjson.py BEFORE.json AFTER.json: the two JSON reports say the same, timings, times, ports and
# the fields JSON formats 2 and 3 added aside (used by compare.sh). Exit 1 with a diff when not.
# Format 3 lists the checks that passed apart (could_be_better, severity none): a report of an
# older format is split the same way before the comparison.
import json,sys,re
def norm(o, drop_new):
    if isinstance(o, dict):
        r={}
        for k,v in o.items():
            if drop_new and k in ('file','line','judged_phase','body_cut_held','body_cut','elapsed_ms','good','max_failed_samples','checks','host','error'): continue
            if k in ('phases_ms','stats_ms','duration_ms','started_at','finished_at','remote_port','new_connections'): continue
            if k=='scale' and drop_new: continue
            if k=='pass' and drop_new and isinstance(v,(int,float)) and not isinstance(v,bool): continue
            if k=='format': continue
            r[k]=norm(v,drop_new)
        return r
    if isinstance(o,list): return [norm(x,drop_new) for x in o]
    if isinstance(o,str): return re.sub(r'127.0.0.1:[0-9]+|[0-9][0-9.]* ?ms|[0-9.]+x\)|took [0-9a-z]+','N',o)
    return o
def split(d):
    if 'could_be_better' in d: return d
    st={c['id']:c['status'] for l in d['checklists'] for s in l['sections'] for c in s['checks']}
    d['could_be_better']=[dict(f,severity='none') for f in d['fixes'] if st[f['check']]!='fail']
    d['fixes']=[f for f in d['fixes'] if st[f['check']]=='fail']
    for lst in (d['fixes'],d['could_be_better']):
        for i,f in enumerate(lst): f['rank']=i+1
    return d
a=norm(split(json.load(open(sys.argv[1]))),True); b=norm(split(json.load(open(sys.argv[2]))),True)
if a!=b:
    import difflib
    sa=json.dumps(a,indent=1,sort_keys=True).splitlines(); sb=json.dumps(b,indent=1,sort_keys=True).splitlines()
    print('\n'.join(list(difflib.unified_diff(sa,sb,lineterm=''))[:40])); sys.exit(1)
