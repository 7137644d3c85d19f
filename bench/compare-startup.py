#!/usr/bin/env python3
# Start-up A/B of already published builds (e.g. a baseline commit's ReadyToRun publish and the working tree's):
# starts them one after the other, alternating the order every round, the way bench/HotelAgent.Bench.Startup starts
# one (temp data directory, product-default logging, GET /api/health/ready every 5 ms until 200), and prints per start:
# ready, first log line, Kestrel listening, the first ready request's time inside the host, and the CPU time the
# process had used at ready (all threads, and the main thread alone, from /proc/<pid>/task/*/schedstat). On this shared
# machine wall times swing by seconds with the load; the main thread's CPU time (host build, DI, hosted services up to
# Kestrel listening run there one after the other) is the steadier figure to compare.
# Usage: bench/compare-startup.py ROUNDS name=path/to/HotelAgent.Functions.dll name2=path/to/other/HotelAgent.Functions.dll ...
# Publish a build with: dotnet publish src/HotelAgent.Functions -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o DIR
import sys, os, time, subprocess, socket, http.client, tempfile, shutil, threading, statistics
rounds=int(sys.argv[1]); variants=[a.split('=',1) for a in sys.argv[2:]]
res={n:[] for n,_ in variants}
def load(): return open('/proc/loadavg').read().split()[0]
def free_port():
    s=socket.socket(); s.bind(('127.0.0.1',0)); p=s.getsockname()[1]; s.close(); return p
def one(dll):
    port=free_port(); d=tempfile.mkdtemp(prefix='ha-ab-')
    env=dict(os.environ, HotelAgent__DataDirectory=d, WhatsApp__AppSecret='x', WhatsApp__VerifyToken='x', WhatsApp__AccessToken='x', WhatsApp__PhoneNumberId='1')
    t0=time.monotonic()
    p=subprocess.Popen(['dotnet',dll,'--urls',f'http://127.0.0.1:{port}'],cwd=d,env=env,stdout=subprocess.PIPE,stderr=subprocess.DEVNULL,text=True)
    lines=[]
    def rd():
        for l in p.stdout: lines.append((time.monotonic()-t0,l))
    th=threading.Thread(target=rd,daemon=True); th.start()
    while True:
        try:
            c=http.client.HTTPConnection('127.0.0.1',port,timeout=5); c.request('GET','/api/health/ready'); r=c.getresponse(); r.read(); c.close()
            if r.status==200: break
        except OSError: pass
        if time.monotonic()-t0>60: raise SystemExit('timeout')
        time.sleep(0.005)
    ready=(time.monotonic()-t0)*1000
    cpu=0; mainc=0
    for t in os.listdir(f'/proc/{p.pid}/task'):
        try:
            ns=int(open(f'/proc/{p.pid}/task/{t}/schedstat').read().split()[0])
        except OSError: continue
        cpu+=ns
        if int(t)==p.pid: mainc=ns
    cpu/=1e6; mainc/=1e6
    time.sleep(0.3)
    p.terminate(); p.wait(); th.join(1)
    shutil.rmtree(d,ignore_errors=True)
    first=lines[0][0]*1000 if lines else -1
    listen=next((t*1000 for t,l in lines if 'Now listening' in l),-1)
    inhost=next((l.rsplit(' in ',1)[1].strip() for t,l in lines if '/api/health/ready responded 200 in ' in l),'-')
    return ready,first,listen,inhost,cpu,mainc
print('load before', load(), flush=True)
for r in range(rounds):
    order=variants if r%2==0 else variants[::-1]
    for n,dll in order:
        ready,first,listen,inhost,cpu,mainc=one(dll); res[n].append((ready,first,listen,cpu,mainc))
        print(f'{n:8} ready {ready:6.0f}  first-log {first:6.0f}  listening {listen:6.0f}  in-host {inhost:>9}  cpu {cpu:5.0f} main {mainc:5.0f}  load {load()}', flush=True)
print('load after', load())
for n,_ in variants:
    v=res[n]
    print(f'{n:8} ready median {statistics.median(x[0] for x in v):6.0f} (min {min(x[0] for x in v):.0f}, max {max(x[0] for x in v):.0f}); first-log median {statistics.median(x[1] for x in v):.0f}; listening median {statistics.median(x[2] for x in v):.0f}; CPU at ready median {statistics.median(x[3] for x in v):.0f} ms (main thread {statistics.median(x[4] for x in v):.0f}); n={len(v)}')
