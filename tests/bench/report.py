# SPDX-License-Identifier: MIT
"""Turns run.py's raw numbers (results/latest.json) into the markdown table, the goal verdicts and
the SVG charts. Pure formatting: no process is started here except gnuplot."""
import os
import shutil
import subprocess

ORDER = ['bare', 'tend', 'tini', 'dumb-init', 'catatonit']
PEERS = ['tini', 'dumb-init', 'catatonit']


def pct(values, p):
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def med(values):
    return pct(values, 50)


def t(ns, unit):
    """A duration in ns, in the unit asked for ('us', 'ms' or 's')."""
    if ns is None:
        return '–'
    if unit == 'us':
        return f'{ns / 1e3:.1f} µs' if abs(ns) < 100e3 else f'{ns / 1e3:.0f} µs'
    if unit == 'ms':
        return f'{ns / 1e6:.2f} ms' if abs(ns) < 100e6 else f'{ns / 1e6:.0f} ms'
    return f'{ns / 1e9:.3f} s'


def ratio(a, b):
    if a is None or b is None or b == 0:
        return '–'
    return f'{a / b:.2f}×'


def verdict(ok):
    if ok is None:
        return ''
    return '**met**' if ok else '**not met**'


class Table:
    def __init__(self, cols):
        self.cols = cols
        self.rows = []

    def add(self, *cells):
        self.rows.append([str(c) for c in cells])

    def render(self):
        out = ['| ' + ' | '.join(self.cols) + ' |', '|' + '|'.join('---' for _ in self.cols) + '|']
        out += ['| ' + ' | '.join(r) + ' |' for r in self.rows]
        return '\n'.join(out)


def best_peer(values):
    """(name, value) of the peer with the lowest value."""
    cand = [(values[p], p) for p in PEERS if values.get(p) is not None]
    if not cand:
        return None, None
    v, p = min(cand)
    return p, v


def row(table, label, values, fmt, goal, ok, bare=True, tend_key='tend'):
    """One measurement row: a cell per wrapper, the ratios, the goal and the verdict."""
    cells = [fmt(w, values.get(w)) if w in values else '–' for w in ORDER]
    peer, pv = best_peer(values)
    tv = values.get(tend_key)
    table.add(label, *cells, ratio(tv, values.get('bare')) if bare else '–',
              f'{ratio(tv, pv)} ({peer})' if peer else '–', goal, verdict(ok))


def markdown(raw):
    m = raw['machine']
    out = [f"Run of {m['date']} ({m['mode']} mode, {m.get('duration_s', '?')} s), {m['cpu']}, "
           f"{m['cores']} cores, Linux {m['kernel']}, {m.get('os', '')}; tend {m.get('tend_commit') or '?'}, "
           + ', '.join(f'{k} {v}' for k, v in m['versions'].items() if v) + '.',
           'Each wrapper is PID 1 of its own PID namespace; all of them run interleaved in the same run. '
           'Medians, with p10–p90 where the spread matters; ratios are tend ÷ bare and tend ÷ the best peer.',
           '']
    main = Table(['Measurement', 'bare', 'tend', 'tini', 'dumb-init', 'catatonit', 'tend ÷ bare',
                  'tend ÷ best peer', 'Goal for tend', 'Verdict'])
    details = []
    verdicts = {}

    td = raw.get('teardown')
    if td:
        grace_ns = td['grace_s'] * 1e9
        dl = td['deadline_s']
        ob = {w: med(d['total_ns']) for w, d in td['obey'].items()}
        spread = {w: (pct(d['total_ns'], 10), pct(d['total_ns'], 90)) for w, d in td['obey'].items()}
        _, pv = best_peer(ob)
        ok = ob.get('tend') is not None and pv is not None and ob['tend'] <= pv + 2e6
        verdicts['1b'] = ok

        def fmt_ob(w, v):
            lo, hi = spread[w]
            return f'{t(v, "ms")} ({t(lo, "ms")}–{t(hi, "ms")})' if v is not None else 'not empty'
        row(main, f"1. Teardown, 200 processes that all obey SIGTERM: SIGTERM to namespace empty "
                  f"(n={len(td['obey']['tend']['total_ns'])})", ob, fmt_ob,
            '≤ best peer + 2 ms', ok, bare=False)

        ig = td['ignore']
        tot = {w: (med(d['total_ns']) if all(x is not None for x in d['total_ns']) else None)
               for w, d in ig.items()}
        surv = {w: max(d['survivors']) for w, d in ig.items()}

        def fmt_ig(v, w):
            if v is None:
                return f'not empty at {dl:g} s: {surv[w]} of 200 left'
            return f'{t(v, "s")}, 0 left'
        tend_tot = tot.get('tend')
        ok = surv.get('tend') == 0 and tend_tot is not None and tend_tot <= grace_ns + 20e6
        verdicts['1a'] = ok
        main.add(f"1. Teardown, 200 processes, the main child and half the others ignore SIGTERM/SIGINT: "
                 f"SIGTERM to namespace empty, survivors at {dl:g} s (n={len(ig['tend']['total_ns'])}; "
                 f"tend -l '{td['ladder']}')", '–',
                 *[fmt_ig(tot[w], w) if w in tot else '–' for w in ORDER[1:]],
                 '–', '–',
                 f"0 left, ≤ grace {td['grace_s']:g} s + 20 ms "
                 f"(tend: grace + {t(tend_tot - grace_ns, 'ms') if tend_tot else '–'})", verdict(ok))

    idle = raw.get('idle')
    if idle:
        d = idle['data']
        wk = {w: max(x['wakeups'] for x in d[w]) for w in ORDER if w in d}
        cpu = {w: max(x['cpu_ns'] for x in d[w]) for w in ORDER if w in d}
        ok = wk.get('tend') == 0
        verdicts['2'] = ok
        main.add(f"2. Idle: wakeups of the wrapper over {idle['window_s']:g} s of a sleeping child (worst of "
                 f"{len(d['tend'])})", *[str(wk[w]) if w in wk else '–' for w in ORDER], '–', '–', '0',
                 verdict(ok))
        main.add(f"2. Idle: CPU of the wrapper over {idle['window_s']:g} s", *[t(cpu[w], 'us') if w in cpu else '–'
                                                                           for w in ORDER],
                 '–', '–', '', '')

    sig = raw.get('signal')
    if sig:
        d = sig['data']
        p50 = {w: pct(d[w]['latency_ns'], 50) for w in d}
        p90 = {w: pct(d[w]['latency_ns'], 90) for w in d}
        ok = p50.get('tend') is not None and p50['tend'] <= 25e3 and p90['tend'] <= 35e3 and d['tend']['lost'] == 0
        verdicts['3'] = ok
        row(main, f"3. SIGUSR1 to the wrapper until the child's handler runs, p50 ({sig['signals']} signals in "
                  f"{sig.get('batches', 1)} batches; "
                  "bare: straight to the child)", p50, lambda w, v: t(v, 'us'), 'p50 ≤ 25 µs', ok)
        row(main, '3. same, p90', p90, lambda w, v: t(v, 'us'), 'p90 ≤ 35 µs', ok)
        one = sig.get('one_cpu')
        if one:
            details.append('Signal latency with every process on one CPU (diagnostic: no wakeup crosses to an '
                           'idle CPU), p50 / p90: ' + ', '.join(
                               f"{w} {t(pct(one[w]['latency_ns'], 50), 'us')} / {t(pct(one[w]['latency_ns'], 90), 'us')}"
                               for w in ORDER if w in one) + '.')
        lost = {w: d[w]['lost'] for w in d if d[w]['lost']}
        if lost:
            details.append(f'Signals without an answer within 1 s: {lost}.')

    orph = raw.get('orphans')
    if orph:
        d = orph['data']
        wall = {w: med(d[w]['wall_ns']) for w in d}
        peak = {w: max(d[w]['peak_zombies']) for w in d}
        _, pv = best_peer(wall)
        ok_w = wall.get('tend') is not None and pv is not None and wall['tend'] <= 1.03 * pv
        ok_z = peak.get('tend') is not None and peak['tend'] <= 6
        verdicts['4'] = ok_w and ok_z
        row(main, f"4. {orph['orphans']:,} double-forked orphans: wall time (n={len(d['tend']['wall_ns'])})",
            wall, lambda w, v: t(v, 's'), '≤ best peer + 3 %', ok_w)
        row(main, f"4. same, peak zombies (sampled every {orph['sample_every']} orphans)", peak,
            lambda w, v: str(v), '≤ 6', ok_z)

    st = raw.get('start')
    if st:
        d = st['data']
        w50 = {k: med(v['wall_ns']) for k, v in d.items()}
        own = None
        if all(w50.get(k) is not None for k in ('tend', 'tend-noop', 'bench-bare', 'bare')):
            own = w50['tend'] - w50['tend-noop'] - (w50['bench-bare'] - w50['bare'])
        ok = own is not None and own <= 0.1e6
        verdicts['5'] = ok
        row(main, f"5. Start: `WRAP /bin/true`, wall per run (n={st['runs']}; bare: /bin/true alone)",
            w50, lambda w, v: t(v, 'ms'), '', None)
        main.add("5. tend's own start-up work: tend − tend-noop (same binary, main returns at once) − "
                 "(bench-bare − bare) (a minimal fork/exec/wait wrapper)", '–', t(own, 'ms'), '–', '–', '–',
                 '–', '–', '≤ 0.1 ms', verdict(ok))
        st_t = Table(['Start cost, per run', 'p10', 'median', 'p90', 'runs hung (killed at 250 ms)',
                      'CPU per run (perf task-clock)', 'page faults per run'])
        perf = st.get('perf') or {}
        for k in ['bare', 'bench-bare', 'tend-noop', 'tend', 'tini', 'dumb-init', 'catatonit']:
            if k not in d:
                continue
            pf = perf.get(k) or {}
            st_t.add(k, t(pct(d[k]['wall_ns'], 10), 'ms'), t(w50[k], 'ms'), t(pct(d[k]['wall_ns'], 90), 'ms'),
                     f"{d[k]['hung']} of {st['runs']}",
                     f"{pf['task_clock_ms_per_run']:.3f} ms" if pf.get('task_clock_ms_per_run') else '–',
                     f"{pf['page_faults_per_run']:.0f}" if pf.get('page_faults_per_run') else '–')
        details.append(st_t.render())
        if w50.get('tend-noop') is not None:
            lines = [f"Start cost, split: loading tend's libraries (tend-noop − bare) "
                     f"{t(w50['tend-noop'] - w50['bare'], 'ms')}; tend's own work {t(own, 'ms')}; "
                     f"a minimal fork/exec/wait wrapper (bench-bare − bare) {t(w50['bench-bare'] - w50['bare'], 'ms')}."]
            ld = st.get('ld_debug')
            if ld and ld.get('cycles_median'):
                lines.append(f"LD_DEBUG=statistics on tend-noop: {ld['cycles_median']:,.0f} cycles in the dynamic "
                             f"loader (≈ {ld['usec_median']:.0f} µs at {ld['cpu_mhz']:.0f} MHz), "
                             f"{ld.get('relocations') or '?'} symbol relocations.")
            if perf.get('tend') and perf.get('tend-noop') and perf.get('bench-bare') and perf.get('bare'):
                c = lambda k: perf[k]['task_clock_ms_per_run'] or 0
                lines.append(f"perf stat, CPU of tend's own work: {(c('tend') - c('tend-noop') - (c('bench-bare') - c('bare'))) * 1e3:.0f} µs "
                             f"per run (same subtraction on task-clock).")
            details.append(' '.join(lines))

    if idle:
        d = idle['data']
        mem_t = Table(['Memory while the child sleeps', 'VmHWM', 'RssAnon', 'Pss', 'Goal', 'Verdict'])
        for k in ORDER + ['ref: C program', 'ref: C program + sd_event']:
            if k not in d:
                continue
            x = d[k][-1]
            goal, ok = '', None
            if k == 'tend':
                ok = x['RssAnon_kB'] <= 256 and x['VmHWM_kB'] <= 2560
                verdicts['6'] = ok
                goal = 'RssAnon ≤ 256 kB, VmHWM ≤ 2.5 MB'
            mem_t.add(k if k != 'bare' else 'bare (bench-bare)', f"{x['VmHWM_kB']} kB", f"{x['RssAnon_kB']} kB",
                      f"{x['Pss_kB']} kB", goal, verdict(ok) if ok is not None else '')
        if 'ref: C program' in d and 'ref: C program + sd_event' in d and 'tend' in d:
            a, b, x = d['ref: C program'][-1], d['ref: C program + sd_event'][-1], d['tend'][-1]
            mem_t.add('libsystemd\'s part (ref + sd_event − ref)', f"{b['VmHWM_kB'] - a['VmHWM_kB']} kB",
                      f"{b['RssAnon_kB'] - a['RssAnon_kB']} kB", f"{b['Pss_kB'] - a['Pss_kB']} kB", '', '')
            mem_t.add('tend beyond libsystemd (tend − ref + sd_event)', f"{x['VmHWM_kB'] - b['VmHWM_kB']} kB",
                      f"{x['RssAnon_kB'] - b['RssAnon_kB']} kB", f"{x['Pss_kB'] - b['Pss_kB']} kB", '', '')
        tv = d['tend'][-1]
        main.add('6. Memory of the wrapper while its child sleeps: VmHWM / RssAnon / Pss (details below)',
                 *[f"{d[w][-1]['VmHWM_kB']} / {d[w][-1]['RssAnon_kB']} / {d[w][-1]['Pss_kB']} kB" if w in d else '–'
                   for w in ORDER], '–', '–', 'RssAnon ≤ 256 kB, VmHWM ≤ 2.5 MB',
                 verdict(tv['RssAnon_kB'] <= 256 and tv['VmHWM_kB'] <= 2560))
        details.append(mem_t.render())

    sp = raw.get('spawn')
    if sp:
        d = sp['data']
        s50 = {k: med(v['spawn_ns']) for k, v in d.items()}
        ok = s50.get('tend') is not None and s50.get('posix_spawn') and s50['tend'] <= 1.2 * s50['posix_spawn']
        verdicts['7'] = ok
        main.add(f"7. Spawn, request to exec confirmed, median (n={sp['spawns']}): tend's spawner thread vs "
                 f"a single-threaded C program", f"posix_spawn {t(s50.get('posix_spawn'), 'us')}, "
                 f"fork+exec {t(s50.get('fork+exec'), 'us')}", t(s50.get('tend'), 'us'), '–', '–', '–',
                 f"{ratio(s50.get('tend'), s50.get('posix_spawn'))} posix_spawn, "
                 f"{ratio(s50.get('tend'), s50.get('fork+exec'))} fork+exec", '–', '≤ 1.2× posix_spawn', verdict(ok))
        sp_t = Table(['Spawn, request to exec confirmed', 'p10', 'median', 'p90', 'runs', 'runs hung'])
        for k, v in d.items():
            sp_t.add(k, t(pct(v['spawn_ns'], 10), 'us'), t(s50[k], 'us'), t(pct(v['spawn_ns'], 90), 'us'),
                     len(v['spawn_ns']), v['hung'])
        details.append(sp_t.render())

    hung = {}
    for part in ('start', 'spawn'):
        if raw.get(part) and raw[part]['data'].get('tend', {}).get('hung'):
            hung[part] = raw[part]['data']['tend']['hung']
    if hung:
        details.append('tend did not exit after its command did in ' + ', '.join(
            f"{n} of the {raw[p]['runs' if p == 'start' else 'spawns']} {p} runs" for p, n in hung.items())
            + ' (each killed after 250 ms and left out of the figures).')
    if raw.get('missing_peers'):
        details.append(f"Not installed, left out: {', '.join(raw['missing_peers'])}.")
    if raw.get('leftovers'):
        details.append(f"{raw['leftovers']} process(es) outlived the run and were killed.")

    met = sum(1 for v in verdicts.values() if v)
    out.append(main.render())
    out.append('')
    out.append(f'Goals met by tend: {met} of {len(verdicts)} ('
               + ', '.join(f'{k}: {"met" if v else "not met"}' for k, v in sorted(verdicts.items())) + ').')
    for x in details:
        out += ['', x]
    return '\n'.join(out)


def charts(raw, outdir):
    """teardown.svg and signal-latency.svg with gnuplot, when it is installed."""
    if not shutil.which('gnuplot'):
        return
    os.makedirs(outdir, exist_ok=True)
    td, sig = raw.get('teardown'), raw.get('signal')
    if td:
        dat = os.path.join(outdir, 'teardown.dat')
        with open(dat, 'w') as f:
            f.write('wrapper obey_ms ignore_s survivors\n')
            for w in ORDER[1:]:
                if w not in td['obey']:
                    continue
                ig = td['ignore'][w]
                tot = med(ig['total_ns']) if all(x is not None for x in ig['total_ns']) else None
                f.write(f"{w} {med(td['obey'][w]['total_ns']) / 1e6:.3f} "
                        f"{tot / 1e9 if tot else td['deadline_s']:.4f} {max(ig['survivors'])}\n")
        gp = f"""set terminal svg size 900,380 dynamic font 'sans,12' background '#ffffff'
set output '{os.path.join(outdir, 'teardown.svg')}'
set multiplot layout 1,2 title 'Teardown of a 200-process tree after SIGTERM to the wrapper (PID 1)'
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set key off
set yrange [0:*]
set title 'every process obeys SIGTERM: until the namespace is empty'
set ylabel 'ms (median)'
plot '{dat}' using 2:xtic(1) lc rgb '#4477aa', '' using 0:2:(sprintf('%.1f', $2)) with labels offset 0,0.7
set title "half ignore SIGTERM: empty after (s), or survivors at {td['deadline_s']:g} s"
set ylabel 's (capped at the {td['deadline_s']:g} s deadline)'
set yrange [0:{td['deadline_s'] * 1.15:g}]
plot '{dat}' using 3:xtic(1) lc rgb '#cc6677', '' using 0:3:($4 > 0 ? sprintf('%d left', $4) : sprintf('%.3f s, 0 left', $3)) with labels offset 0,0.7
unset multiplot
"""
        subprocess.run(['gnuplot'], input=gp, text=True, capture_output=True, timeout=60)
    if sig:
        dat = os.path.join(outdir, 'signal-latency.dat')
        names = [w for w in ORDER if w in sig['data']]
        with open(dat, 'w') as f:
            for w in names:
                v = sorted(sig['data'][w]['latency_ns'])
                f.write(f'# {w}\n')
                for i, x in enumerate(v):
                    f.write(f'{x / 1e3:.2f} {(i + 1) / len(v):.4f}\n')
                f.write('\n\n')
        plots = ', '.join(f"'{dat}' index {i} using 1:2 with steps lw 2 title '{w}'" for i, w in enumerate(names))
        gp = f"""set terminal svg size 900,420 dynamic font 'sans,12' background '#ffffff'
set output '{os.path.join(outdir, 'signal-latency.svg')}'
set title "SIGUSR1 to the wrapper until the child's handler runs ({sig['signals']} signals; bare: to the child)"
set xlabel 'latency (µs, log scale)'
set ylabel 'fraction of signals'
set logscale x
set grid
set key bottom right
set yrange [0:1]
plot {plots}
"""
        subprocess.run(['gnuplot'], input=gp, text=True, capture_output=True, timeout=60)
