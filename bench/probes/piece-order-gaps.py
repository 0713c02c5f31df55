#!/usr/bin/env python3
# Reads the piece-order probe's files (piece-order.mjs) of one origin agent and one recipient agent
# in DIR and prints how long each leg of a request took (recipient sends -> origin reads it ->
# origin sends the piece -> recipient parses it), the gaps of 15 ms or more between arrivals, and
# which leg each gap was waiting on. Usage: piece-order-gaps.py DIR
import glob
import json
import sys

logs = [json.load(open(f)) for f in sorted(glob.glob(f'{sys.argv[1]}/*.json'))]
origin = next(d for d in logs if 'origin' in d['argv'])['log']
recipient = next(d for d in logs if 'origin' not in d['argv'] and any(e[0] == 'r' for e in d['log']))['log']
at = {k: {(e[2], e[3]): e[1] for e in src if e[0] == k} for k, src in (('q', origin), ('s', origin), ('Q', recipient), ('r', recipient))}
keys = sorted((k for k in at['r'] if k in at['Q'] and k in at['q'] and k in at['s']), key=lambda k: at['r'][k])


def pct(values, p):
    v = sorted(values)
    return v[int(p * (len(v) - 1))]


for name, a, b in (('request travel (Q->q)', 'Q', 'q'), ('origin (q->s)', 'q', 's'), ('data (s->r)', 's', 'r')):
    d = [at[b][k] - at[a][k] for k in keys]
    print(f'{name}: p50 {pct(d, .5)} ms, p90 {pct(d, .9)} ms, max {max(d)} ms')
arrivals = [at['r'][k] for k in keys]
gaps = [(arrivals[i] - arrivals[i - 1], i) for i in range(1, len(arrivals)) if arrivals[i] - arrivals[i - 1] >= 15]
print(f'{arrivals[-1] - arrivals[0]} ms from first to last arrival; {len(gaps)} gaps of 15 ms or more, {sum(g for g, _ in gaps)} ms')
waiting = {'request not sent yet': 0, 'request travelling': 0, 'origin reading or queueing': 0, 'data travelling': 0}
for g, i in gaps:
    k, start = keys[i], arrivals[i - 1]
    leg = ('request not sent yet' if at['Q'][k] > start else 'request travelling' if at['q'][k] > start
           else 'origin reading or queueing' if at['s'][k] > start else 'data travelling')
    waiting[leg] += g
print('the gaps waited on:', ', '.join(f'{k} {v} ms' for k, v in waiting.items()))
