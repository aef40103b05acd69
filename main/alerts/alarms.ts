/**
 * The alarm-driven wall (runtime: anywhere; clock and wall injected). An alert that matches a rule
 * pops its camera onto the alarm tile. The alarm ends when its alert is acknowledged or the pop times
 * out; then the next queued alarm shows, and when none is left the tile gets back what it showed
 * before (unless the operator put something else there meanwhile). Alarms queue by severity, then
 * time; a more severe alarm takes the tile from a less severe one, which goes back in the queue.
 * Alerts for a camera already popped or queued join that alarm instead of queueing it twice.
 */
import { SEVERITY_RANK, type AlarmRule, type AlarmState, type AlertConfig, type AlertView, type Severity } from '../../preload/contract.js';

export interface AlarmWall {
  cameraAt(monitor: number, tile: number): string | null | undefined;
  assign(monitor: number, tile: number, cameraId: string | null): void;
}

interface Item {
  alertIds: string[];
  cameraId: string;
  severity: Severity;
  time: number;
}

export const MAX_QUEUE = 50;

export function matches(rule: AlarmRule, alert: Pick<AlertView, 'type' | 'severity' | 'kecamatanCode'>, kelurahanCode: string | null): boolean {
  if (rule.types.length && !rule.types.includes(alert.type)) return false;
  if (rule.severities.length && !rule.severities.includes(alert.severity)) return false;
  if (rule.districts.length && !rule.districts.some((d) => d === `kec:${alert.kecamatanCode}` || (kelurahanCode !== null && d === `kel:${kelurahanCode}`))) return false;
  return true;
}

export interface AlarmDeskOptions {
  wall: AlarmWall;
  config: () => AlertConfig;
  kelurahanOf: (cameraId: string) => string | null;
  onChange: (state: AlarmState) => void;
  now?: () => number;
  log?: (message: string) => void;
}

export class AlarmDesk {
  private queue: Item[] = [];
  private active: (Item & { until: number; monitor: number; tile: number }) | null = null;
  /** What the alarm tile showed before the first alarm popped. */
  private restore: { monitor: number; tile: number; cameraId: string | null } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The camera the last alarm put on the tile, to tell whether the operator changed it since. */
  private lastShown: string | null = null;
  private readonly now: () => number;

  constructor(private readonly o: AlarmDeskOptions) {
    this.now = o.now ?? Date.now;
  }

  state(): AlarmState {
    const a = this.active;
    return {
      active: a ? { alertId: a.alertIds[0]!, cameraId: a.cameraId, severity: a.severity, monitor: a.monitor, tile: a.tile, until: a.until } : null,
      queued: this.queue.map((q) => ({ alertId: q.alertIds[0]!, cameraId: q.cameraId, severity: q.severity })),
    };
  }

  /** A new alert: pops or queues its camera when a rule matches. Returns whether it did. */
  consider(alert: AlertView): boolean {
    if (alert.ack) return false;
    const kel = this.o.kelurahanOf(alert.cameraId);
    if (!this.o.config().rules.some((r) => matches(r, alert, kel))) return false;
    const time = Date.parse(alert.time);
    const same = this.active?.cameraId === alert.cameraId ? this.active : this.queue.find((q) => q.cameraId === alert.cameraId);
    if (same) {
      if (same.alertIds.length < 50) same.alertIds.push(alert.id);
      if (SEVERITY_RANK[alert.severity] > SEVERITY_RANK[same.severity]) same.severity = alert.severity;
      this.sortQueue();
    } else {
      this.queue.push({ alertIds: [alert.id], cameraId: alert.cameraId, severity: alert.severity, time });
      this.sortQueue();
      // Keep the most important ones when the queue overflows.
      if (this.queue.length > MAX_QUEUE) this.queue.length = MAX_QUEUE;
    }
    const best = this.queue[0];
    if (this.active && best && SEVERITY_RANK[best.severity] > SEVERITY_RANK[this.active.severity]) {
      const { until: _u, monitor: _m, tile: _t, ...back } = this.active;
      this.queue.push(back);
      this.sortQueue();
      this.lastShown = this.active.cameraId;
      this.active = null;
    }
    if (!this.active) this.showNext();
    else this.o.onChange(this.state());
    return true;
  }

  /** An alert was acknowledged: its alarm ends, or leaves the queue. */
  acked(alertId: string): void {
    if (this.active?.alertIds.includes(alertId)) return this.end();
    const before = this.queue.length;
    this.queue = this.queue.filter((q) => !q.alertIds.includes(alertId));
    if (this.queue.length !== before) this.o.onChange(this.state());
  }

  private sortQueue(): void {
    this.queue.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.time - b.time);
  }

  private end(): void {
    this.lastShown = this.active?.cameraId ?? null;
    this.active = null;
    this.showNext();
  }

  private showNext(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const cfg = this.o.config();
    const { monitor, tile } = cfg.alarmTile;
    const next = this.queue.shift();
    if (!next) {
      const r = this.restore;
      this.restore = null;
      if (r && this.o.wall.cameraAt(r.monitor, r.tile) === this.lastShown) {
        try {
          this.o.wall.assign(r.monitor, r.tile, r.cameraId);
        } catch (err) {
          this.o.log?.(`alarm: could not give tile ${r.tile} of monitor ${r.monitor} back: ${(err as Error).message}`);
        }
      }
      this.o.onChange(this.state());
      return;
    }
    const current = this.o.wall.cameraAt(monitor, tile);
    if (current === undefined) {
      this.o.log?.(`alarm: monitor ${monitor} has no tile ${tile}; alarm for ${next.cameraId} not shown`);
      return this.showNext();
    }
    this.restore ??= { monitor, tile, cameraId: current };
    try {
      this.o.wall.assign(monitor, tile, next.cameraId);
    } catch (err) {
      this.o.log?.(`alarm: could not show ${next.cameraId}: ${(err as Error).message}`);
      return this.showNext();
    }
    const until = this.now() + cfg.popSeconds * 1000;
    this.active = { ...next, until, monitor, tile };
    this.timer = setTimeout(() => this.end(), cfg.popSeconds * 1000);
    (this.timer as { unref?: () => void }).unref?.();
    this.o.onChange(this.state());
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
