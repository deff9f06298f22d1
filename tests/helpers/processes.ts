import { readdirSync, readFileSync } from 'node:fs';

interface ProcessRow {
  pid: string;
  ppid: string;
  group: string;
  args: string[];
  environment: string[];
}

/** The process groups seen for each folder: a Chrome of the run that outlived its parent keeps its group. */
const groupsOf = new Map<string, Set<string>>();

/**
 * The processes of a run, as `pid args`: those whose command line or environment names `dir`
 * (every Chrome keeps its profile there; galley and its reaper have their TMPDIR there), their
 * descendants (the headless shell's renderers name no folder, and their environment is cleared),
 * and any process in a process group one of them was seen in (a child orphaned by a kill).
 */
export function processesIn(dir: string): string[] {
  const rows = processTable();
  const inside = new Set(rows.filter((row) => [...row.args, ...row.environment].some((part) => part.includes(dir))).map((row) => row.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (inside.has(row.ppid) && !inside.has(row.pid)) {
        inside.add(row.pid);
        grew = true;
      }
    }
  }
  const groups = groupsOf.get(dir) ?? new Set<string>();
  groupsOf.set(dir, groups);
  // Only Chrome's own groups: galley, spawned by the test, is in the test's group.
  for (const row of rows) if (inside.has(row.pid) && row.group !== ownGroup()) groups.add(row.group);
  return rows.filter((row) => inside.has(row.pid) || groups.has(row.group)).map((row) => `${row.pid} ${row.args.join(' ')}`);
}

function ownGroup(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2] ?? '';
}

function processTable(): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (pid === String(process.pid)) continue;
    const read = (file: string) => {
      try {
        return readFileSync(`/proc/${pid}/${file}`, 'utf8');
      } catch {
        return '';
      }
    };
    const args = read('cmdline').split('\0').filter(Boolean);
    if (args.length === 0) continue;
    // stat: "pid (name) state ppid pgrp …"; the name may hold spaces and parentheses.
    const [, ppid = '', group = ''] = read('stat')
      .slice(read('stat').lastIndexOf(')') + 2)
      .split(' ');
    rows.push({ pid, ppid, group, args, environment: read('environ').split('\0').filter(Boolean) });
  }
  return rows;
}
