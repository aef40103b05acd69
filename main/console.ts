/**
 * The Console: every service composed behind one dispatcher (runtime: Node).
 * The Electron shell and the web shell both host one Console and differ only in transport.
 */
import { EventEmitter } from 'node:events';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  API_VERSION,
  AgencyId,
  AlertConfig,
  type Alert,
  ApiError,
  RoutingConfig,
  Language,
  WallState,
  commands,
  describeZodError,
  isCommandName,
  parseArgs,
  reason,
  type CommandName,
  type CommandResult,
  type EventName,
  type EventPayload,
  type KioskProfile,
} from '../preload/contract.js';
import { AuditLog } from './access/audit.js';
import { RateLimiter, type RateLimit } from './access/rate-limit.js';
import { CredentialVault, ownerOnlyFile, type SecretBox } from './access/credentials.js';
import { mayCall, NOT_AUDITED, SUPERVISE, type Role } from './access/roles.js';
import { AccessFile, EMPTY_ACCESS, SessionBook, type Session } from './access/sessions.js';
import { DeskBook, DesksFile, NO_DESKS } from './access/desks.js';
import { AlarmDesk } from './alerts/alarms.js';
import { AlertService } from './alerts/alert-service.js';
import { DEFAULT_ROUTING, routeAlert } from './alerts/routing.js';
import { openHistory, HistoryFiller, historyRow } from './alerts/history-service.js';
import type { AlertHistory } from './alerts/history.js';
import type { AlertSource } from './alerts/source.js';
import { toSummary } from './catalog/camera.js';
import type { Catalog, CameraStatus } from './catalog/catalog.js';
import { JsonStore, type StoreBackend, type StoreProblem, type StoreVersioning } from './store/json-store.js';
import { findFfmpeg, HLS_WINDOW } from './streams/ffmpeg.js';
import { DEFAULT_TRANSCODE_BUDGET, StreamGateway } from './streams/gateway.js';
import { StreamEndpoint } from './streams/stream-endpoint.js';
import { Sequencer } from './wall/sequencer.js';
import { PresetBook, PresetsFile } from './wall/presets.js';
import { Wall, type WallCatalog } from './wall/wall.js';
import { KioskService } from './kiosk/kiosk-service.js';
import { KioskProfileBook, KioskProfilesFile } from './kiosk/profile-book.js';
import { redactUrl } from './streams/source-url.js';
import { statsCsv } from './alerts/stats-csv.js';

export const APP_VERSION = '0.1.0';
/** How long "identify monitors" shows each monitor's number. */
export const IDENTIFY_MS = 4_000;

/** Critical crimes and incidents anywhere pop onto monitor 1, tile 1 for a minute. */
export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  overlaySeconds: 10,
  muted: false,
  rules: [{ types: ['crime', 'incident'], severities: ['critical'], districts: [] }],
  alarmTile: { monitor: 1, tile: 1 },
  popSeconds: 60,
};

function operatorName(): string {
  try {
    return userInfo().username.slice(0, 40) || 'operator';
  } catch {
    return 'operator';
  }
}

const Settings = z.object({
  language: Language,
  ffmpegPath: z.string().nullable(),
  wall: WallState.nullable(),
  /** Electron display id → monitor number, so a display gets its monitor back after a replug. */
  displays: z.record(z.string(), z.number().int().positive()),
  // Added after the first release: defaults keep older settings files valid.
  alerts: AlertConfig.default(DEFAULT_ALERT_CONFIG),
  /** Who acknowledges alerts from this console. */
  operatorName: z.string().max(80).default(operatorName()),
  /** How many MPEG-1 fallback transcodes (codecs the browser can't play) may run at once. */
  transcodeBudget: z.number().int().min(0).max(64).default(DEFAULT_TRANSCODE_BUDGET),
  /** This console's desk name: sessions, presets and the audit trail say which desk did what. */
  deskName: z.string().min(1).max(60).default(hostname()),
  /** Which agency each alert goes to, and when an unacknowledged one escalates. */
  routing: RoutingConfig.default(DEFAULT_ROUTING),
  /** Desk name → the agency whose queue that desk works (absent: every alert). */
  deskAgencies: z.record(z.string(), AgencyId).default({}),
});
export type Settings = z.infer<typeof Settings>;

/**
 * The settings file's versions. 0: every file written before stores carried a version (the first
 * release had language, ffmpegPath, wall and displays; later ones added the rest with defaults).
 * 1: this build, every field written out.
 */
export const SETTINGS_VERSIONING = {
  version: 1,
  migrations: {
    1: (v0: Record<string, unknown>) => ({ alerts: DEFAULT_ALERT_CONFIG, operatorName: operatorName(), transcodeBudget: DEFAULT_TRANSCODE_BUDGET, deskName: hostname(), ...v0 }),
  },
} satisfies StoreVersioning;

export interface ConsoleOptions {
  shell: 'web' | 'electron';
  catalog: Catalog;
  dataDir: string;
  /** Origin of the HTTP server that carries /live/ stream sockets, e.g. http://127.0.0.1:4173. */
  streamOrigin: () => string;
  /** Cameras for a fresh wall's monitor 1 when nothing was saved. */
  initialCameras?: string[];
  idleGraceMs?: number;
  /** Overrides the transcodeBudget setting (CLI --transcode-budget, tests). */
  transcodeBudget?: number;
  /** Where analytics alerts come from; null or absent: no backend. */
  alertSource?: AlertSource | null;
  log?: (scope: string, message: string) => void;
  /** Where stores keep their files: conf (default), electron-store in the desktop app. */
  storeBackend?: StoreBackend;
  /** Check every command's result against its contract schema (tests; default PANTAU_CHECK_RESULTS=1). */
  checkResults?: boolean;
  /** A supervisor PIN to set when none is stored (PANTAU_SUPERVISOR_PIN on a first start). */
  supervisorPin?: string;
  /** How long a supervisor session lasts without a supervisor action (default 10 minutes). */
  supervisorIdleMs?: number;
  /** Seals camera credentials at rest: Electron's safeStorage in the desktop app; a 0600 file by default. */
  secretBox?: SecretBox;
  /**
   * Kiosk mode (`--kiosk <profile.json>`): every session is a kiosk session scoped to this profile's
   * cameras. `file` gets maintenance changes written back; `onExit` closes the shell.
   */
  kiosk?: { profile: KioskProfile; file: string | null; onExit: () => void };
  /** Commands one session may send (access/rate-limit.ts); benchmarks that hammer one command lift it. */
  rateLimit?: RateLimit;
  /** The alert history database (default <dataDir>/alert-history.sqlite; ':memory:' in tests). */
  historyFile?: string;
  /** Days of alert history kept (default 120). */
  historyRetentionDays?: number;
}

/** Arguments the audit trail shows as *** (a command's summary says what was done, never a secret). */
const SECRET_ARGS = new Set(['pin', 'user', 'password']);

/** A remote desk a session is for (web mode's desk listener): its name, and the origin it uses. */
export interface RemoteDesk {
  desk: string;
  origin: string;
}

/** Who is calling: a session main opened for a window or a socket (never what the page says). */
export interface CallContext {
  session: string;
}

/** What a handler knows of its caller, decided by main from the session. */
export interface Caller {
  session: string;
  role: Role;
  desk: string;
}

/** A command's arguments as dispatch hands them over: parsed, defaults filled in. */
type CommandInput<K extends CommandName> = ReturnType<typeof parseArgs<K>>;
/** What runs one command: its parsed arguments in, its result out (checked by the compiler). */
export type Handler<K extends CommandName> = (args: CommandInput<K>, caller: Caller) => CommandResult<K> | Promise<CommandResult<K>>;
/** One handler for every command: a missing one, or one returning another command's result, won't compile. */
type Handlers = { [K in CommandName]: Handler<K> };

export interface ConsoleError {
  at: number;
  scope: string;
  message: string;
}

/** What the Console tells the world through, handed to the services it is built from. */
export interface ServiceSink {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void;
  log(scope: string, message: string): void;
  recordError(scope: string, message: string): void;
  /** Last known picture state per camera, for the catalog tree's counts. */
  cameraStatus: Map<string, CameraStatus>;
  /** Throws not_found for a camera the catalog does not have. */
  requireCamera(id: string): void;
}

/** The services a Console is composed of. */
export interface Services {
  settings: JsonStore<Settings>;
  gateway: StreamGateway;
  endpoint: StreamEndpoint;
  wall: Wall;
  sequencer: Sequencer;
  alerts: AlertService;
  alarms: AlarmDesk;
  sessions: SessionBook;
  presets: PresetBook;
  audit: AuditLog;
  credentials: CredentialVault;
  kioskProfiles: KioskProfileBook;
  /** Remote operator desks (web mode's desk listener). */
  desks: DeskBook;
  /** The kiosk's profile and maintenance, in kiosk mode; null otherwise. */
  kiosk: KioskService | null;
  /** Alert history for statistics (SQLite). */
  history: AlertHistory;
  /** Stored files that were damaged at start: moved aside, reported in /api/health and the control view. */
  storeProblems: StoreProblem[];
  /** Pulls the backend's past alerts into the history. */
  filler: HistoryFiller;
}

export type ServiceFactory = (options: ConsoleOptions, sink: ServiceSink) => Services;

/**
 * Builds the services from the options and wires them to each other and to the sink. The Console
 * takes the factory as a parameter, so a test can hand it services of its own (a wrapped gateway, a
 * fake alert source) and keep the rest.
 */
export function buildServices(options: ConsoleOptions, sink: ServiceSink): Services {
  const settings = new JsonStore(
    options.dataDir,
    'settings',
    Settings,
    {
      language: 'id',
      ffmpegPath: null,
      wall: null,
      displays: {},
      alerts: DEFAULT_ALERT_CONFIG,
      operatorName: operatorName(),
      transcodeBudget: DEFAULT_TRANSCODE_BUDGET,
      deskName: hostname(),
      routing: DEFAULT_ROUTING,
      deskAgencies: {},
    },
    options.storeBackend,
    SETTINGS_VERSIONING,
  );
  const access = new JsonStore(options.dataDir, 'access', AccessFile, EMPTY_ACCESS, options.storeBackend);
  const presetStore = new JsonStore(options.dataDir, 'presets', PresetsFile, { presets: [] }, options.storeBackend);
  const credentials = new CredentialVault(options.dataDir, options.secretBox ?? ownerOnlyFile, options.storeBackend);
  for (const f of credentials.loosened) sink.recordError('store', `${f} could be read by other users; it is now readable by its owner only`);
  const kioskStore = new JsonStore(options.dataDir, 'kiosk-profiles', KioskProfilesFile, { profiles: [] }, options.storeBackend);
  // Only token hashes, but still nobody else's to read: owner only, like the credentials.
  const deskStore = new JsonStore(options.dataDir, 'desks', DesksFile, NO_DESKS, options.storeBackend, undefined, { mode: 0o600 });
  const opened = openHistory(options.historyFile ?? join(options.dataDir, 'alert-history.sqlite'), options.historyRetentionDays);
  const history = opened.history;
  const storeProblems = [...settings.problems, ...access.problems, ...presetStore.problems, ...credentials.problems, ...kioskStore.problems, ...deskStore.problems, ...opened.problems];
  for (const p of storeProblems) sink.recordError('store', `${p.file} was unreadable (${p.message}); moved to ${p.movedTo}${p.restored ? ', restored from its backup' : ''}`);
  const sessions = new SessionBook({ store: access, idleMs: options.supervisorIdleMs, provisionPin: options.supervisorPin });
  const presets = new PresetBook(presetStore);
  const audit = new AuditLog({ dir: options.dataDir });
  // Set below, once the gateway it retargets exists; the gateway's health reports reach it from then.
  let kiosk: KioskService | null = null;
  const gateway = new StreamGateway({
    catalog: options.catalog,
    ffmpegPath: () => findFfmpeg(settings.get('ffmpegPath')),
    idleGraceMs: options.idleGraceMs,
    transcodeBudget: () => options.transcodeBudget ?? settings.get('transcodeBudget'),
    log: (m) => sink.log('streams', m),
    credentials: (id) => credentials.get(id),
    onHealth: (h) => {
      kiosk?.health(h);
      if (h.state === 'live') sink.cameraStatus.set(h.cameraId, 'live');
      else if (h.state === 'offline' || h.state === 'error') sink.cameraStatus.set(h.cameraId, 'offline');
      sink.emit('stream.health', h);
    },
  });
  if (options.kiosk) {
    const k = options.kiosk;
    kiosk = new KioskService({
      profile: k.profile,
      file: k.file,
      catalog: options.catalog,
      credentials,
      retarget: (id) => gateway.retarget(id),
      // The payload is filled in per session (its maintenance state) by Console.eventFor.
      onChange: () => sink.emit('kiosk.changed', kiosk!.view('')),
      onExit: k.onExit,
      log: (m) => sink.log('kiosk', m),
    });
  }
  const kioskProfiles = new KioskProfileBook(kioskStore, options.catalog);
  const endpoint = new StreamEndpoint(gateway, options.streamOrigin, (m) => sink.log('streams', m));
  // A saved wall comes back as it was, also with cameras the catalog no longer has (a preset can name
  // them): their tiles say "camera removed" and keep the id, rather than the whole wall being reset.
  const saved = settings.get('wall');
  const initial = (options.initialCameras ?? []).map((id) => options.catalog.summary(id)).filter((c) => c !== undefined);
  const wallCatalog: WallCatalog = {
    resolve: (source) =>
      source.kind === 'district'
        ? { ids: options.catalog.camerasOf(source.node).map((c) => c.id), label: options.catalog.label(source.node) }
        : (source.cameraIds.forEach((id) => sink.requireCamera(id)), { ids: source.cameraIds, label: source.label }),
    idOfNumber: (n) => options.catalog.getByNumber(n)?.id,
    neighbour: (id, d) => options.catalog.neighbour(id ? (options.catalog.get(id)?.number ?? 0) : 0, d).id,
  };
  const wall = saved ? new Wall(saved, { catalog: wallCatalog }) : Wall.fresh(1, '2x2', initial, { catalog: wallCatalog });
  wall.subscribe((state) => {
    settings.set('wall', state);
    sink.emit('wall.changed', state);
  });
  const sequencer = new Sequencer(wall);
  // One routing for live alerts and for history pulled from the backend.
  const route = (a: Alert, cam: { kecamatanCode: string; kelurahanCode?: string }) => routeAlert(settings.get('routing'), a.type, cam.kecamatanCode, cam.kelurahanCode ?? '');
  const alerts = new AlertService({
    source: options.alertSource ?? null,
    dataDir: options.dataDir,
    camera: (id) => options.catalog.get(id),
    onChanged: (alerts) => sink.emit('alerts.changed', { alerts }),
    onBackend: (state) => {
      sink.emit('alerts.backend', state);
      if (state.state === 'connected') filler.connected();
    },
    log: (m) => sink.log('alerts', m),
    storeBackend: options.storeBackend,
    route,
    escalateAfterMs: () => settings.get('routing').escalateMinutes * 60_000,
  });
  const alarms = new AlarmDesk({
    wall: {
      cameraAt: (monitor, tile) => {
        const t = wall
          .get()
          .monitors.find((m) => m.monitor === monitor)
          ?.tiles.find((x) => x.tile === tile);
        return t ? t.cameraId : undefined;
      },
      assign: (monitor, tile, cameraId) => void wall.assign(monitor, tile, cameraId),
    },
    config: () => settings.get('alerts'),
    kelurahanOf: (id) => options.catalog.get(id)?.kelurahanCode ?? null,
    onChange: (state) => sink.emit('alerts.alarm', state),
    log: (m) => sink.log('alarm', m),
  });
  alerts.onAlert((a) => alarms.consider(a));
  alerts.onAlert((a) => history.record(historyRow(a, a.kelurahanCode ?? '')));
  // Past alerts the backend keeps (its optional history endpoint) fill the statistics on connecting.
  const filler = new HistoryFiller({
    history,
    source: options.alertSource ?? null,
    camera: (id) => options.catalog.get(id),
    log: (m) => sink.log('history', m),
    route,
  });
  const desks = new DeskBook(deskStore);
  return { settings, gateway, endpoint, wall, sequencer, alerts, alarms, sessions, presets, audit, credentials, kioskProfiles, desks, kiosk, history, storeProblems, filler };
}

export class Console {
  readonly gateway: StreamGateway;
  readonly endpoint: StreamEndpoint;
  readonly wall: Wall;
  readonly alerts: AlertService;
  readonly alarms: AlarmDesk;
  readonly sessions: SessionBook;
  private readonly presets: PresetBook;
  private readonly audit: AuditLog;
  private readonly storeProblems: StoreProblem[];
  private readonly credentials: CredentialVault;
  private readonly kioskProfiles: KioskProfileBook;
  readonly desks: DeskBook;
  readonly kiosk: KioskService | null;
  readonly history: AlertHistory;
  private readonly filler: HistoryFiller;
  /** Sessions of remote desks → the origin (desk listener) they reach the console by. */
  private readonly remoteOrigins = new Map<string, string>();
  private readonly sequencer: Sequencer;
  /** Last known picture state per camera (from its ingest sessions), for the catalog tree's counts. */
  private readonly cameraStatus = new Map<string, CameraStatus>();
  private readonly settings: JsonStore<Settings>;
  private readonly events = new EventEmitter();
  private readonly rates: RateLimiter;
  readonly errors: ConsoleError[] = [];
  readonly catalog: Catalog;

  constructor(
    private readonly options: ConsoleOptions,
    build: ServiceFactory = buildServices,
  ) {
    this.events.setMaxListeners(0);
    this.catalog = options.catalog;
    this.rates = new RateLimiter(options.rateLimit);
    const services = build(options, {
      emit: (event, payload) => this.emit(event, payload),
      log: (scope, message) => this.log(scope, message),
      recordError: (scope, message) => this.recordError(scope, message),
      cameraStatus: this.cameraStatus,
      requireCamera: (id) => this.requireCamera(id),
    });
    ({
      settings: this.settings,
      gateway: this.gateway,
      endpoint: this.endpoint,
      wall: this.wall,
      sequencer: this.sequencer,
      alerts: this.alerts,
      alarms: this.alarms,
      sessions: this.sessions,
      presets: this.presets,
      audit: this.audit,
      credentials: this.credentials,
      kioskProfiles: this.kioskProfiles,
      desks: this.desks,
      kiosk: this.kiosk,
      history: this.history,
      filler: this.filler,
      storeProblems: this.storeProblems,
    } = services);
    this.alerts.start();
  }

  /**
   * A session for a new window or socket at this console's desk: operator, or kiosk. A kiosk console
   * opens only kiosk sessions, whatever the shell asks for.
   */
  openSession(base: Session['base'] = 'operator', remote?: RemoteDesk): Session {
    const session = this.sessions.open(remote?.desk ?? this.settings.get('deskName'), this.kiosk ? 'kiosk' : base);
    if (remote) this.remoteOrigins.set(session.id, remote.origin);
    return session;
  }
  closeSession(id: string): void {
    this.remoteOrigins.delete(id);
    this.kiosk?.closeSession(id);
    this.rates.forget(id);
    this.sessions.close(id);
  }

  /**
   * What one session is told of an event, or null for nothing. A kiosk session hears only of its own
   * cameras (their stream health and alerts), the alert backend's state and its own profile; other
   * sessions hear everything but kiosk changes.
   */
  eventFor(session: string, event: EventName, payload: unknown): unknown {
    let kiosk: boolean;
    try {
      kiosk = this.sessions.role(session) === 'kiosk';
    } catch {
      return null; // the session has ended
    }
    if (!kiosk) {
      if (event === 'kiosk.changed') return null;
      // Each desk hears which agency it serves.
      if (event === 'alerts.routing') return { ...(payload as EventPayload<'alerts.routing'>), deskAgency: this.deskAgency(this.sessions.get(session).desk) };
      return payload;
    }
    const k = this.kiosk;
    if (!k) return null;
    switch (event) {
      case 'stream.health':
        return k.inScope((payload as EventPayload<'stream.health'>).cameraId) ? payload : null;
      case 'alerts.changed': {
        const alerts = (payload as EventPayload<'alerts.changed'>).alerts.filter((a) => k.inScope(a.cameraId));
        return alerts.length ? { alerts } : null;
      }
      case 'alerts.backend':
        return payload;
      case 'kiosk.changed':
        return k.view(session);
      default:
        return null;
    }
  }

  /** Events as one session may see them (see eventFor). */
  onSessionEvent(session: string, listener: (event: EventName, payload: unknown) => void): () => void {
    return this.onEvent((event, payload) => {
      const mine = this.eventFor(session, event, payload);
      if (mine !== null) listener(event, mine);
    });
  }

  /** Display id → monitor number as last placed (Electron shell). */
  rememberedDisplays(): Record<string, number> {
    return this.settings.get('displays');
  }
  rememberDisplays(map: Record<string, number>): void {
    this.settings.set('displays', map);
  }

  private log(scope: string, message: string): void {
    this.options.log?.(scope, message);
  }
  private recordError(scope: string, message: string): void {
    this.errors.push({ at: Date.now(), scope, message });
    if (this.errors.length > 50) this.errors.shift();
    this.log(scope, message);
  }

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.events.emit('event', event, payload);
  }
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /**
   * Every command's handler, one entry each: the compiler checks that each command has one and that
   * it returns that command's result. Arguments arrive parsed (dispatch parses them once).
   */
  private readonly handlers: Handlers = {
    'console.hello': (a) => {
      if (a.apiVersion !== API_VERSION) throw new ApiError('version_mismatch', `renderer speaks API v${a.apiVersion}, main speaks v${API_VERSION}`);
      return { apiVersion: API_VERSION, version: APP_VERSION, shell: this.options.shell };
    },
    'console.health': () => this.health(),
    'catalog.districts': () => ({ total: this.catalog.size, kecamatan: this.catalog.districts() }),
    'catalog.search': (a) => this.catalog.search(a.query, a.limit),
    'catalog.get': (a) =>
      a.ids
        .map((id) => this.catalog.get(id))
        .filter((c) => c !== undefined)
        .map(toSummary),
    'catalog.tree': (a) => this.catalog.tree(a.node, (id) => this.cameraStatus.get(id)),
    'catalog.places': (a) => ({ places: this.catalog.places(a.query, a.limit) }),
    'wall.showNearest': (a) => {
      // Enough for the largest layout; a smaller one pages through the rest, nearest first.
      const near = this.catalog.nearest(a.lat, a.lon, 64, a.radiusM);
      if (!near.length) throw new ApiError('not_found', `no camera within ${a.radiusM ?? '∞'} m of ${a.lat}, ${a.lon}`, reason('no_camera_near', { radius: a.radiusM ?? 0 }));
      const label = a.label ?? `112 · ${a.lat.toFixed(5)}, ${a.lon.toFixed(5)}`;
      return this.wall.show([a.monitor], { kind: 'list', cameraIds: near.map((n) => n.id), label, distancesM: near.map((n) => n.distanceM) }, 0, a.layout);
    },
    'map.shapes': () => ({
      shapes: (this.catalog.shapes?.features ?? []).map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
      })),
    }),
    'map.status': () => ({ districts: this.mapStatus() }),
    'map.cameras': (a) => ({
      cameras: this.catalog.positioned(a.kecamatan).map((c) => {
        const s = this.cameraStatus.get(c.id);
        return { id: c.id, number: c.number, name: c.name, type: c.type, kelurahanCode: c.kelurahanCode, kelurahanName: c.kelurahanName, lat: c.lat!, lon: c.lon!, status: s ?? 'unknown' };
      }),
    }),
    'wall.get': () => this.wall.get(),
    'wall.setLayout': (a) => this.wall.setLayout(a.monitor, a.layout),
    'wall.assign': (a) => {
      if (a.cameraId !== null) this.requireCamera(a.cameraId);
      return this.wall.assign(a.monitor, a.tile, a.cameraId);
    },
    'wall.showCameras': (a) => {
      a.cameraIds.forEach((id) => this.requireCamera(id));
      return this.wall.showCameras(a.monitor, a.cameraIds, a.layout);
    },
    'wall.show': (a) => this.wall.show(a.monitors, a.source, a.page, a.layout),
    'wall.page': (a) => this.wall.page(a.monitor, a.to),
    'wall.sequence': (a) => this.wall.sequence(a.monitor, a.action, a.dwellSeconds),
    'wall.touch': (a) => ({ pausedUntil: this.wall.touch(a.monitor) }),
    'wall.enlarge': (a) => this.wall.enlarge(a.monitor, a.tile),
    'wall.history': (a) => this.wall.history(a.monitor, a.tile, a.direction),
    'wall.step': (a) => this.wall.step(a.monitor, a.tile, a.direction),
    'wall.route': (a) => this.wall.route(a.monitor, a.tile, a.number),
    'wall.swapMonitors': (a) => this.wall.swapMonitors(a.a, a.b),
    'wall.identify': () => {
      const until = Date.now() + IDENTIFY_MS;
      this.emit('wall.identify', { until });
      return { until };
    },
    'stream.open': (a, c) => {
      this.requireCamera(a.cameraId);
      const opened = this.endpoint.open(a.cameraId, a.quality, a.transcode);
      return { url: this.reachable(opened.url, c.session), kind: opened.kind, cameraId: a.cameraId, quality: opened.quality };
    },
    'stream.replay': (a, c) => {
      this.requireCamera(a.cameraId);
      return { url: this.reachable(this.endpoint.issueReplay(a.cameraId, a.quality), c.session), windowSeconds: HLS_WINDOW.segmentSeconds * HLS_WINDOW.segments };
    },
    'alerts.list': (a, c) => ({
      alerts: this.alerts.list(a.limit),
      backend: this.alerts.state,
      config: this.settings.get('alerts'),
      alarm: this.alarms.state(),
      routing: this.settings.get('routing'),
      deskAgency: this.deskAgency(c.desk),
    }),
    'alerts.ack': (a, c) => {
      if (!this.alerts.get(a.id)) throw new ApiError('not_found', `alert ${a.id} is not held by this console`, reason('alert_unknown'));
      const agency = this.deskAgency(c.desk);
      const view = this.alerts.ack(a.id, this.settings.get('operatorName'), a.note, agency);
      this.alarms.acked(a.id);
      if (view.ack) this.history.ack(a.id, view.ack.at, view.ack.by, agency, a.note);
      return view;
    },
    'alerts.setRouting': (a) => {
      const next = RoutingConfig.parse({ ...this.settings.get('routing'), ...a });
      this.settings.set('routing', next);
      this.emit('alerts.routing', { routing: next, deskAgency: null });
      return next;
    },
    'alerts.setDeskAgency': (a, c) => {
      const map = { ...this.settings.get('deskAgencies') };
      if (a.agency) map[c.desk] = a.agency;
      else delete map[c.desk];
      this.settings.set('deskAgencies', map);
      this.emit('alerts.routing', { routing: this.settings.get('routing'), deskAgency: null });
      return { desk: c.desk, agency: a.agency };
    },
    'alerts.setConfig': (a) => this.setAlertConfig(a),
    'session.whoami': (_a, c) => this.sessions.info(c.session),
    'session.elevate': (a, c) => this.sessions.elevate(c.session, a.pin),
    'session.drop': (_a, c) => this.sessions.drop(c.session),
    'session.setPin': (a, c) => this.sessions.setPin(c.session, a.pin),
    'presets.list': () => ({ presets: this.presets.list() }),
    'presets.load': (a) => {
      if ((a.id === undefined) === (a.number === undefined)) throw new ApiError('bad_request', 'presets.load needs an id or a number, not both');
      const preset = a.id !== undefined ? this.presets.get(a.id) : this.presets.byNumber(a.number!);
      const state = this.wall.load(preset.monitors);
      // Only a changed alarm tile is written: every window re-renders for an alerts.config event.
      const current = this.settings.get('alerts').alarmTile;
      if (preset.alarmTile && (preset.alarmTile.monitor !== current.monitor || preset.alarmTile.tile !== current.tile)) this.setAlertConfig({ alarmTile: preset.alarmTile });
      return state;
    },
    'presets.save': (a, c) => this.presetsChanged(this.presets.save(a.name, a.group, this.snapshot(), c.desk)),
    'presets.update': (a, c) => this.presetsChanged(this.presets.update(a.id, this.snapshot(), c.desk)),
    'presets.rename': (a) => this.presetsChanged(this.presets.rename(a.id, a.name, a.group)),
    'presets.delete': (a) => {
      this.presets.delete(a.id);
      return this.presetsChanged({ id: a.id });
    },
    'presets.reorder': (a) => this.presetsChanged({ presets: this.presets.reorder(a.ids) }),
    'presets.export': (a) => ({ json: this.presets.exportJson(a.ids) }),
    'presets.import': (a, c) => this.presetsChanged(this.presets.importJson(a.json, a.overwrite, c.desk)),
    'audit.list': ({ after, limit, ...filter }) => this.audit.list(after, limit, filter),
    'audit.exportCsv': (filter) => this.audit.csv(filter),
    'cameras.credentials': () => ({ cameraIds: this.credentials.cameraIds(), protection: this.credentials.protection }),
    'cameras.setCredentials': ({ cameraId, user, password }) => {
      this.requireCamera(cameraId);
      this.credentials.set(cameraId, { user, password });
      this.gateway.retarget(cameraId);
      return { cameraId, protection: this.credentials.protection };
    },
    'cameras.clearCredentials': ({ cameraId }) => {
      this.credentials.clear(cameraId);
      this.gateway.retarget(cameraId);
      return { cameraId };
    },
    'kiosk.view': (_a, c) => this.kioskOf().view(c.session),
    'kiosk.alerts': () => {
      const k = this.kioskOf();
      return { alerts: this.alerts.list(1000).filter((a) => k.inScope(a.cameraId)), backend: this.alerts.state };
    },
    'kiosk.unlock': (a, c) => {
      const k = this.kioskOf();
      this.sessions.checkKioskPin(c.session, a.pin);
      return k.unlocked(c.session);
    },
    'kiosk.relock': (_a, c) => this.kioskOf().relock(c.session),
    'kiosk.touch': (_a, c) => this.kioskOf().touch(c.session),
    'kiosk.configure': (a, c) => this.kioskOf().configure(c.session, a),
    'kiosk.replaceProfile': (a, c) => this.kioskOf().replaceProfile(c.session, a.json),
    'kiosk.exit': (_a, c) => this.kioskOf().exit(c.session),
    'kioskProfiles.list': () => ({ profiles: this.kioskProfiles.list() }),
    'kioskProfiles.save': (a, c) => this.kioskProfiles.save(a.id, a.profile, c.desk),
    'kioskProfiles.delete': (a) => {
      this.kioskProfiles.delete(a.id);
      return { id: a.id };
    },
    'kioskProfiles.export': (a) => this.kioskProfiles.export(a.id),
    'desks.list': () => ({ desks: this.desks.list() }),
    'desks.add': (a, c) => this.desks.add(a.name, c.desk),
    'desks.revoke': (a) => this.desks.revoke(a.name),
    'stats.summary': (q) => ({ ...this.history.summary(q, this.historyLabels), stored: this.history.stored() }),
    'stats.exportCsv': (q) => statsCsv(this.history.summary(q, this.historyLabels)),
    'settings.get': () => ({ language: this.settings.get('language') }),
    'settings.setLanguage': (a) => {
      this.settings.set('language', a.language);
      this.emit('settings.changed', { language: a.language });
      return { language: a.language };
    },
  } satisfies Handlers;

  private deskAgency(desk: string): AgencyId | null {
    return this.settings.get('deskAgencies')[desk] ?? null;
  }

  private readonly historyLabels = {
    district: (code: string) => this.catalog.districtName(code),
    camera: (id: string) => this.catalog.get(id)?.name,
  };

  /** Per kecamatan: cameras, last known health, and alerts held and not yet acknowledged. */
  private mapStatus(): CommandResult<'map.status'>['districts'] {
    const open = new Map<string, number>();
    for (const a of this.alerts.list(2000)) if (!a.ack) open.set(a.kecamatanCode, (open.get(a.kecamatanCode) ?? 0) + 1);
    // The catalog tree's kecamatan nodes already count cameras, live and offline.
    const nodes = new Map(this.catalog.tree('root', (id) => this.cameraStatus.get(id)).children.map((n) => [n.id, n]));
    return this.catalog.wilayahKecamatan().map((k) => {
      const n = nodes.get(`kec:${k.code}`);
      return { code: k.code, name: k.name, centroid: k.centroid, cameras: n?.cameras ?? 0, live: n?.live ?? 0, offline: n?.offline ?? 0, alerts: open.get(k.code) ?? 0 };
    });
  }

  private setAlertConfig(change: Partial<AlertConfig>): AlertConfig {
    const next = AlertConfig.parse({ ...this.settings.get('alerts'), ...change });
    this.settings.set('alerts', next);
    this.emit('alerts.config', next);
    return next;
  }

  private snapshot(): { wall: WallState; alarmTile: AlertConfig['alarmTile'] } {
    return { wall: this.wall.get(), alarmTile: this.settings.get('alerts').alarmTile };
  }

  private presetsChanged<T>(result: T): T {
    this.emit('presets.changed', { presets: this.presets.list() });
    return result;
  }

  /**
   * Parses, authorises and runs one command: the one place every call passes. The role comes from
   * the caller's session. Changes and refusals go to the audit trail. Throws ApiError only.
   */
  async dispatch(command: string, rawArgs: unknown, ctx: CallContext): Promise<unknown> {
    const role = this.sessions.role(ctx.session);
    const caller: Caller = { session: ctx.session, role, desk: this.sessions.get(ctx.session).desk };
    // A flood is refused before anything else is done for it; the audit trail gets a line a second.
    const rate = this.rates.take(ctx.session);
    if (!rate.ok) {
      if (rate.audit !== null) this.record(caller, 'rate_limited', { command: command.slice(0, 64), refused: rate.audit }, false);
      throw new ApiError('unavailable', `too many commands from this session (more than ${this.rates.limit.perSecond} a second)`, reason('rate_limited'));
    }
    if (!isCommandName(command)) throw new ApiError('unknown_command', `unknown command "${command.slice(0, 64)}"`);
    if (!mayCall(role, command)) {
      this.record(caller, command, rawArgs, false);
      throw new ApiError('forbidden', `${command} is not allowed for role ${role}`, reason('not_allowed', { command, role }));
    }
    // A kiosk opens streams of its own cameras only.
    if (role === 'kiosk' && command === 'stream.open') {
      const cameraId = (rawArgs as { cameraId?: unknown } | null)?.cameraId;
      if (typeof cameraId !== 'string' || !this.kiosk?.inScope(cameraId)) {
        this.record(caller, command, rawArgs, false);
        const shown = typeof cameraId === 'string' ? cameraId.slice(0, 80) : '?';
        throw new ApiError('forbidden', `camera ${shown} is not one of this kiosk's cameras`, reason('camera_out_of_scope', { camera: shown }));
      }
    }
    try {
      const result = await this.run(command, parseArgs(command, rawArgs), caller);
      if (!NOT_AUDITED.has(command)) this.record(caller, command, rawArgs, true);
      if (SUPERVISE.includes(command)) this.sessions.touch(ctx.session);
      return result;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'forbidden') this.record(caller, command, rawArgs, false);
      throw err;
    }
  }

  /** One line of the audit trail; a PIN or a camera's credentials never reach it, and long arguments are cut. */
  private record(caller: Caller, command: string, args: unknown, ok: boolean): void {
    const summary =
      JSON.stringify(args ?? {}, (k, v: unknown) =>
        SECRET_ARGS.has(k) ? '***' : k === 'json' && typeof v === 'string' ? `${v.length} characters` : k === 'url' && typeof v === 'string' ? redactUrl(v) : v,
      ) ?? '';
    try {
      this.audit.append({ session: caller.session, role: caller.role, desk: caller.desk, command: command.slice(0, 64), ok, summary });
    } catch (e) {
      this.recordError('audit', `could not append to the audit trail: ${(e as Error).message}`);
    }
  }

  private async run<K extends CommandName>(command: K, args: CommandInput<K>, caller: Caller): Promise<CommandResult<K>> {
    const handler: Handler<K> = this.handlers[command];
    try {
      const result = await handler(args, caller);
      // Tests (and PANTAU_CHECK_RESULTS=1) hold every result to its contract schema as well.
      if (this.options.checkResults) {
        const checked = commands[command].result.safeParse(result);
        if (!checked.success) throw new Error(`result breaks the contract: ${describeZodError(checked.error)}`);
      }
      return result;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      this.recordError('console', `${command} failed: ${(err as Error).message}`);
      throw new ApiError('internal', `${command} failed: ${(err as Error).message}`);
    }
  }

  /** A stream URL as this session reaches the console: a remote desk gets its desk listener's origin. */
  private reachable(url: string, session: string): string {
    const origin = this.remoteOrigins.get(session);
    if (!origin) return url;
    const u = new URL(url);
    const o = new URL(origin);
    u.protocol = u.protocol === 'ws:' || u.protocol === 'wss:' ? o.protocol.replace('http', 'ws') : o.protocol;
    u.host = o.host;
    return u.toString();
  }

  private kioskOf(): KioskService {
    if (!this.kiosk) throw new ApiError('unavailable', 'this console is not a kiosk');
    return this.kiosk;
  }

  private requireCamera(id: string): void {
    if (!this.catalog.get(id)) throw new ApiError('not_found', `camera ${id} is not in the catalog`, reason('camera_unknown', { camera: id }));
  }

  health(): CommandResult<'console.health'> {
    const s = this.gateway.stats();
    return {
      version: APP_VERSION,
      apiVersion: API_VERSION,
      shell: this.options.shell,
      camerasInCatalog: this.options.catalog.size,
      sessions: s.sessions,
      sessionsLive: s.live,
      sessionsStopping: s.stopping,
      transcodes: s.transcodes,
      transcodesStopping: s.transcodesStopping,
      transcodeBudget: s.transcodeBudget,
      ffmpegProcesses: s.ffmpegProcesses,
      ffmpegReady: s.ffmpegReady,
      subscribers: this.endpoint.subscriberCount,
      alerts: this.alerts.state,
      errors: this.errors.slice(-20),
      credentialProtection: this.credentials.protection,
      storeProblems: this.storeProblems,
    };
  }

  async dispose(): Promise<void> {
    this.sequencer.dispose();
    this.alarms.dispose();
    this.filler.stop();
    await this.alerts.dispose();
    this.history.close();
    this.endpoint.close();
    await this.gateway.dispose();
  }
}
