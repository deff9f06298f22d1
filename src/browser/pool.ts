import type { BrowserSession } from './session.js';

/** One browser of the pool, and how many documents it holds now. */
export interface PoolMember {
  session: BrowserSession;
  /** Its --browser-ws address; undefined for the browser galley launches. */
  endpoint: string | undefined;
  busy: number;
}

/**
 * The run's browsers: the one galley launches (which its session starts again if it fails), or
 * the running browsers given with --browser-ws, each taking up to --jobs documents at a time. A
 * running browser that cannot be reached, or goes away, is dropped: the documents it held are
 * built again on the others, and only when none is left do they fail.
 */
export class BrowserPool {
  readonly #members: PoolMember[];
  readonly #dropped: PoolMember[] = [];

  constructor(members: { session: BrowserSession; endpoint: string | undefined }[]) {
    this.#members = members.map((member) => ({ ...member, busy: 0 }));
  }

  /** How many browsers the pool began with. */
  get size(): number {
    return this.#members.length + this.#dropped.length;
  }

  /** How many browsers are left. */
  get remaining(): number {
    return this.#members.length;
  }

  /** The least busy browser left, taken for one document (give it back); undefined when none is left. */
  take(): PoolMember | undefined {
    const member = [...this.#members].sort((a, b) => a.busy - b.busy)[0];
    if (member) member.busy += 1;
    return member;
  }

  give(member: PoolMember): void {
    member.busy -= 1;
  }

  /** Drops a browser that was lost; true the first time, so that it is reported once. */
  drop(member: PoolMember): boolean {
    const index = this.#members.indexOf(member);
    if (index < 0) return false;
    this.#members.splice(index, 1);
    this.#dropped.push(member);
    void member.session.close();
    return true;
  }

  /** The --browser-ws addresses dropped so far. */
  get dropped(): string[] {
    return this.#dropped.flatMap((member) => (member.endpoint ? [member.endpoint] : []));
  }

  warmUp(): void {
    for (const member of this.#members) member.session.warmUp();
  }

  /** Starts the first browser, and waits only until its process is started (see BrowserSession.warmUpFirst). */
  async warmUpFirst(): Promise<void> {
    if (this.#members.length === 1) return this.#members[0]!.session.warmUpFirst();
    this.warmUp();
  }

  get launches(): number {
    return [...this.#members, ...this.#dropped].reduce((sum, member) => sum + member.session.launches, 0);
  }

  /** The browsers that printed, as each names itself. */
  get description(): string | undefined {
    const named = [...this.#members, ...this.#dropped].flatMap((member) => member.session.browserDescription ?? []);
    return named.length > 0 ? named.join('; ') : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#members, ...this.#dropped].map((member) => member.session.close()));
  }
}
