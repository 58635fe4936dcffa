"""Gaps between a request's attempts, from the server's log and from Bench's records.
Usage: analyse.py LOG.tsv RESULTS/records.jsonl"""
import collections, json, sys
arr=collections.defaultdict(dict); ans=collections.defaultdict(dict)
for l in open(sys.argv[1]):
    f=l.rstrip('\n').split('\t')
    if f[0]=='answered': ans[f[2]][f[3]]=float(f[1])
    else: arr[f[1]][f[2]]=float(f[0])
g1=[];g2=[]
for rid,a in arr.items():
    assert sorted(a)==['1','2','3'], a
    for n,m in (('1','2'),('2','3')):
        g1.append((a[m]-a[n])*1000); g2.append((a[m]-ans[rid][n])*1000)
def st(g):
    g=sorted(g); return "min %.1f p50 %.1f max %.1f, under 2000: %d of %d"%(g[0],g[len(g)//2],g[-1],sum(x<2000 for x in g),len(g))
print("server: requests",len(arr),"attempts",sum(len(a) for a in arr.values()))
print("server: arrival -> next arrival     ", st(g1))
print("server: 429 answered -> next arrival", st(g2))
g=[]
for l in open(sys.argv[2]):
    r=json.loads(l)
    if r.get('phase')!='measure': continue
    a=r['attempts']; g+=[a[i+1]['sent_ms']-a[i]['end_ms'] for i in range(len(a)-1)]
print("client: attempt end -> next sent    ", st(g))
