#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Top symbols of a host `perf record` of a UML process (tools/bench/uml.sh).

    uml-profile.py PERF.DATA MODULE.KALLSYMS

UML kernel symbols resolve through the `linux` executable; module code lives
in UML's vmalloc area (a mapping of UML's physical-memory file), which perf
cannot name. Samples perf leaves unresolved are looked up in the guest's
/proc/kallsyms lines for the module (MODULE.KALLSYMS). Only samples of the
process with the most samples (the UML kernel process) are counted.
With a call graph (perf record -g; UML is built with frame pointers) it
also prints inclusive ("children") shares of ks3 functions.
"""
import bisect
import collections
import re
import subprocess
import sys


def main():
    data, ksyms = sys.argv[1], sys.argv[2]
    mod = []
    with open(ksyms) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[1].lower() in ('t', 'w'):
                mod.append((int(parts[0], 16), parts[2]))
    mod.sort()
    starts = [a for a, _ in mod]
    mod_names = {n for _, n in mod}

    out = subprocess.run(
        ['perf', 'script', '-G', '-i', data, '-F', 'pid,ip,sym,dso'],
        capture_output=True, text=True, check=True).stdout
    samples = []
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) < 3:
            continue
        pid, ip = parts[0], parts[1]
        rest = parts[2] if len(parts) == 3 else parts[2] + ' ' + parts[3]
        samples.append((pid, ip, rest))
    if not samples:
        print('no samples')
        return
    pids = collections.Counter(p for p, _, _ in samples)
    main_pid, _ = pids.most_common(1)[0]
    counts = collections.Counter()
    where = collections.Counter()
    total = 0
    for pid, ip, rest in samples:
        if pid != main_pid:
            continue
        total += 1
        sym, _, dso = rest.rpartition(' ')
        sym = sym.strip()
        dso = dso.strip('()')
        if not sym or sym.startswith('[unknown]'):
            try:
                addr = int(ip, 16)
            except ValueError:
                addr = -1
            i = bisect.bisect_right(starts, addr) - 1
            if i >= 0 and addr - starts[i] < 0x10000:
                sym, cat = mod[i][1], 'ks3 module'
            else:
                sym, cat = '[unknown] ' + dso, 'other'
        else:
            sym = sym.split('+')[0]
            if dso == '[kernel.kallsyms]':
                cat = 'host kernel'
            elif dso.endswith('/linux'):
                cat = 'UML kernel'
            else:
                cat = 'other'
        where[cat] += 1
        tag = {'ks3 module': ' [ks3]', 'host kernel': ' [host]'}.get(cat, '')
        counts[sym + tag] += 1
    other = sum(pids.values()) - total
    print(f'{total} samples in the UML kernel process (pid {main_pid}); '
          f'{other} in other processes (UML userspace, helpers)')
    print('  ' + ', '.join(f'{c} {100.0 * n / total:.1f}%'
                          for c, n in where.most_common()))
    for sym, n in counts.most_common(30):
        print(f'{100.0 * n / total:6.2f}%  {sym}')

    # Inclusive shares from the call graph, module addresses resolved.
    def resolve(m):
        addr = int(m.group(0), 16)
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0 and addr - starts[i] < 0x10000:
            return mod[i][1]
        return m.group(0)

    rep = subprocess.run(
        ['perf', 'report', '-i', data, '--children', '--sort', 'sym',
         '--stdio', '-g', 'none'], capture_output=True, text=True).stdout
    if 'Children' not in rep:
        return
    incl = collections.Counter()
    for line in rep.splitlines():
        m = re.match(r'\s+([0-9.]+)%\s+([0-9.]+)%\s+\[.\]\s+(\S+)', line)
        if not m:
            continue
        name = re.sub(r'0x[0-9a-f]+\b', resolve, m.group(3))
        if name in mod_names:
            incl[name] += float(m.group(1))
    print()
    print('inclusive share (self + callees) of ks3 functions, all samples:')
    for name, pct in incl.most_common(25):
        print(f'{pct:6.2f}%  {name}')


if __name__ == '__main__':
    main()
