/**
 * THE contract between Pantau's main process and every renderer (runtime: anywhere).
 *
 * One ConsoleApi, implemented twice: by the Electron preload over IPC and by the web-mode WebSocket
 * client. Every command and event has a zod schema; each receiving side parses what arrives as
 * `unknown` and answers malformed input with a typed error instead of crashing.
 * This file must stay free of Node, Electron and DOM imports.
 */
import { z } from 'zod';
import { cleanName } from './names';

/** Bumped on any incompatible change. Both sides send it; a mismatch fails loudly. */

/**
 * A name or text that came from outside (a file, a backend, a form): cleaned as people will see it
 * (preload/names.ts: no bidi controls or invisible characters, one line) and cut to `max` characters
 * with "…", rather than refused. With `required`, an empty result is refused with that message.
 */
export function Text(max: number, required?: string) {
  const cleaned = z.string().transform((v) => cleanName(v, max));
  return required ? cleaned.pipe(z.string().min(1, required)) : cleaned;
}

export const API_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Domain values
// ---------------------------------------------------------------------------------------------

export const CameraId = z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'camera id: 1-80 of A-Z a-z 0-9 . _ -');
export const CameraType = z.enum(['rt', 'atcs', 'private']);
export type CameraType = z.infer<typeof CameraType>;
export const StreamQuality = z.enum(['sub', 'main']);
export type StreamQuality = z.infer<typeof StreamQuality>;
export const Language = z.enum(['id', 'en']);
export type Language = z.infer<typeof Language>;

/** What a renderer may know about a camera: never its URLs, never its credentials. */
export const CameraSummary = z.object({
  id: CameraId,
  number: z.number().int().positive(),
  name: z.string().max(200),
  type: CameraType,
  kecamatanCode: z.string(),
  kecamatanName: z.string(),
  kelurahanCode: z.string(),
  kelurahanName: z.string(),
  rw: z.number().int().positive().nullable(),
  rt: z.number().int().positive().nullable(),
  hasSub: z.boolean(),
  /** Instant replay is there (gateway cameras keep a rolling HLS window; HLS-source cameras don't). */
  replay: z.boolean(),
  /** Where the camera is (WGS 84 degrees), when the catalog says; absent or null: not on the map. */
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  /** The street it looks at, when the catalog says (112 search finds it). */
  street: z.string().max(120).nullable().optional(),
});
export type CameraSummary = z.infer<typeof CameraSummary>;

export const LayoutId = z.enum(['1x1', '2x2', '3x3', '4x4', '5x5', '6x6', '7x7', '8x8', '1+5', '1+7', '1+12', '2+8']);
export type LayoutId = z.infer<typeof LayoutId>;

export const MonitorNumber = z.number().int().min(1).max(64);
export const TileNumber = z.number().int().min(1).max(64);

/** The tile's last cameras (newest last) and, after going back, the ones to go forward to. */
export const HISTORY_DEPTH = 8;
export const TileState = z.object({
  tile: TileNumber,
  cameraId: CameraId.nullable(),
  back: z.array(CameraId).max(HISTORY_DEPTH).default([]),
  forward: z.array(CameraId).max(HISTORY_DEPTH).default([]),
});

/**
 * A catalog tree node: `root`, `kec:<kecamatan code>`, `kel:<kelurahan code>`, `rw:<kelurahan code>:<RW>`,
 * `type:atcs`, `type:private`. Built only by main; parsed strictly wherever it arrives.
 */
export const NodeId = z
  .string()
  .regex(
    /^(root|type:(atcs|private)|kec:\d{2}\.\d{2}\.\d{2}|kel:\d{2}\.\d{2}\.\d{2}\.\d{4}|rw:\d{2}\.\d{2}\.\d{2}\.\d{4}:\d{1,3})$/,
    'node: root, kec:<code>, kel:<code>, rw:<kelurahan code>:<n>, type:atcs or type:private',
  );
export type NodeId = z.infer<typeof NodeId>;

/** What a paged monitor shows: a district's cameras, or a named camera list. */
export const ViewSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('district'), node: NodeId }),
  z.object({
    kind: z.literal('list'),
    cameraIds: z.array(CameraId).min(1).max(1024),
    label: Text(80),
    /** Metres from the place the list was made for (wall.showNearest), one per camera: tiles show them. */
    distancesM: z.array(z.number().nonnegative()).max(1024).optional(),
  }),
]);
export type ViewSource = z.infer<typeof ViewSource>;

export const MIN_DWELL_S = 3;
/** A sequence steps through the view's pages every dwellSeconds; operator activity pauses it until pausedUntil. */
export const Sequence = z.object({
  dwellSeconds: z.number().min(MIN_DWELL_S).max(3600),
  nextAt: z.number().nullable(),
  pausedUntil: z.number().nullable(),
});
export type Sequence = z.infer<typeof Sequence>;

/** A paged view spans a group of monitors; they page (and sequence) together. */
export const MonitorView = z.object({
  source: ViewSource,
  label: Text(120),
  group: z.array(MonitorNumber).min(1).max(16),
  page: z.number().int().nonnegative(),
  pages: z.number().int().positive(),
  total: z.number().int().nonnegative(),
  sequence: Sequence.nullable(),
});
export type MonitorView = z.infer<typeof MonitorView>;

export const MonitorState = z.object({
  monitor: MonitorNumber,
  name: z.string(),
  layout: LayoutId,
  tiles: z.array(TileState),
  /** The tile shown full-monitor (on the main stream), or null for the layout. */
  enlarged: TileNumber.nullable().default(null),
  view: MonitorView.nullable().default(null),
});
export type MonitorState = z.infer<typeof MonitorState>;
export const WallState = z.object({
  revision: z.number().int().nonnegative(),
  monitors: z.array(MonitorState),
});
export type WallState = z.infer<typeof WallState>;

export const StreamHealthState = z.enum(['connecting', 'live', 'stalled', 'reconnecting', 'offline', 'error', 'idle']);
export type StreamHealthState = z.infer<typeof StreamHealthState>;

/**
 * Why a stream is not live, as a code the renderer translates (renderer/src/i18n/messages.ts:
 * `reason.<code>`, in Bahasa Indonesia and English), never a sentence. `params` fill the message's
 * blanks; `detail` is technical text from elsewhere (ffmpeg's last line, a decoder's message), shown
 * as it is after the translated words.
 */
export const REASON_CODES = [
  // The camera, as the gateway's ffmpeg found it.
  'camera_no_answer',
  'camera_transport_refused',
  'camera_auth_failed',
  'camera_path_not_found',
  'camera_refused',
  'camera_not_video',
  'camera_closed',
  'camera_no_video',
  'stream_failed',
  // The console.
  'transcode_budget_full',
  'transcode_failed',
  'token_invalid',
  'stream_unavailable',
  // A command the console refused: what the operator asked for does not exist, or is not theirs.
  'camera_unknown',
  'camera_number_unknown',
  'district_unknown',
  'no_camera_near',
  'monitor_unknown',
  'tile_unknown',
  'alert_unknown',
  'not_allowed',
  'pin_wrong',
  'pin_locked',
  'pin_not_set',
  'pin_invalid',
  'preset_unknown',
  'preset_name_taken',
  'camera_out_of_scope',
  'kiosk_locked',
  'kiosk_profile_invalid',
  'kiosk_profile_unknown',
  'rate_limited',
  // An HLS camera, as main's proxy found it.
  'hls_auth_failed',
  'hls_unreachable',
  'hls_not_playlist',
  'hls_foreign_uri',
  'hls_failed',
  // The window's players.
  'video_frozen',
  'no_picture',
  'gateway_closed',
  'decoder_rejected',
  'media_error',
  'codec_unsupported',
  'hls_unsupported',
  'worker_failed',
  'canvas_gone',
] as const;
export const ReasonCode = z.enum(REASON_CODES);
export type ReasonCode = z.infer<typeof ReasonCode>;
export const Reason = z
  .object({
    code: ReasonCode,
    params: z.record(z.string().max(40), z.union([z.string().max(80), z.number()])).optional(),
    detail: z.string().max(200).optional(),
  })
  .strict();
export type Reason = z.infer<typeof Reason>;
/** A reason, with its detail cut to what the schema allows. */
export function reason(code: ReasonCode, params?: Reason['params'], detail?: string): Reason {
  return { code, ...(params ? { params } : {}), ...(detail ? { detail: detail.slice(0, 200) } : {}) };
}

export const StreamHealth = z.object({
  cameraId: CameraId,
  quality: StreamQuality,
  state: StreamHealthState,
  reason: Reason.nullable(),
  /** Epoch ms of the next restart attempt, when one is scheduled. */
  retryAt: z.number().nullable(),
});
export type StreamHealth = z.infer<typeof StreamHealth>;

/**
 * The stream socket (/live/<token>), besides its binary media frames. From the renderer: `unbind`
 * (stop feeding me) and `bind` with a token from a new stream.open; anything else closes the socket.
 * From main: `init` (the next binary frame is an init segment of this codec), `health` (the stream's
 * state) and `bound` (the new stream starts here).
 */
export const StreamToken = z.string().regex(/^[0-9a-f]{48}$/);
export const StreamClientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('unbind') }).strict(), z.object({ type: z.literal('bind'), token: StreamToken }).strict()]);
export type StreamClientMessage = z.infer<typeof StreamClientMessage>;
export const StreamServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), codec: z.string().regex(/^[a-zA-Z0-9.]{1,40}$/) }),
  z.object({ type: z.literal('health'), state: StreamHealthState, reason: Reason.nullable(), retryAt: z.number().nullable() }),
  z.object({ type: z.literal('bound'), token: StreamToken }),
]);
export type StreamServerMessage = z.infer<typeof StreamServerMessage>;

/** A text frame parsed as JSON and then with `schema`; null when it is neither (both stream-socket ends use it). */
export function parseJsonFrame<T>(schema: z.ZodType<T>, text: string): T | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(m);
  return parsed.success ? parsed.data : null;
}

/**
 * What a tile's feed tells its player, whether the feed runs in the page or in the window's media
 * worker (renderer/src/players): player events for its state machine, the stream's media to attach
 * (a worker's MediaSourceHandle, transferred), the first buffered media, a codec this browser can't
 * decode, a first picture on the tile's canvas, pictures drawn (n), their size, and the end.
 */
export const FeedEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('player'),
    event: z.discriminatedUnion('type', [
      z.object({ type: z.literal('stream') }),
      z.object({ type: z.literal('server'), state: StreamHealthState, reason: Reason.nullable(), retryAt: z.number().nullable() }),
      z.object({ type: z.literal('unsupported'), reason: Reason }),
    ]),
  }),
  /** A MediaSourceHandle (from the worker), an object URL (in the page), or null (hls.js attached it). */
  z.object({ type: z.literal('media'), media: z.union([z.string(), z.null(), z.custom<object>((v) => typeof v === 'object' && v !== null)]) }),
  z.object({ type: z.literal('buffered') }),
  z.object({ type: z.literal('undecodable'), codec: z.string().max(40) }),
  z.object({ type: z.literal('canvas'), feed: z.enum(['webcodecs', 'mpeg1']) }),
  z.object({ type: z.literal('frame'), n: z.number().int().positive().optional() }),
  /** Pictures the stream brought and pictures drawn over the last few seconds (a tile that falls behind says so). */
  z.object({ type: z.literal('rate'), received: z.number().int().nonnegative(), drawn: z.number().int().nonnegative() }),
  z.object({ type: z.literal('picture'), width: z.number().positive(), height: z.number().positive() }),
  z.object({ type: z.literal('closed'), reason: Reason }),
]);
export type FeedEvent = z.infer<typeof FeedEvent>;

const FeedId = z.number().int().positive();
const SurfaceId = z.number().int().positive();
const WallId = z.number().int().positive();
const Pixels = z.number().finite().positive().max(16_384);
const Offset = z.number().int().nonnegative().max(16_384);
/** An OffscreenCanvas, transferred (structured clone keeps its class; the worker checks it). */
const TransferredCanvas = z.custom<object>((v) => typeof v === 'object' && v !== null);
/** Messages the page sends its media worker (renderer/src/players/feed-host.ts → media-worker.ts). */
export const WorkerRequest = z.discriminatedUnion('op', [
  /**
   * Open a stream: fMP4 to MSE (no kind), or drawn on a tile's surface: its place on a monitor's
   * canvas (`wall`, WebCodecs only) or the tile's own canvas, which comes once per surface.
   */
  z
    .object({
      op: z.literal('open'),
      id: FeedId,
      url: z
        .string()
        .regex(/^wss?:\/\//)
        .max(2048),
      kind: z.enum(['webcodecs', 'mpeg1']).optional(),
      surface: SurfaceId.optional(),
      canvas: TransferredCanvas.optional(),
      wall: WallId.optional(),
      // A tile not laid out yet measures 0: the feed opens, and its size comes with the next 'size'.
      width: z.number().finite().nonnegative().max(16_384).optional(),
      height: z.number().finite().nonnegative().max(16_384).optional(),
    })
    .strict()
    .refine((m) => m.kind === undefined || m.surface !== undefined, { message: 'a canvas feed needs its surface' })
    .refine((m) => m.wall === undefined || (m.kind === 'webcodecs' && m.canvas === undefined), { message: 'only a WebCodecs feed is drawn on a wall, without a canvas of its own' }),
  z.object({ op: z.literal('size'), surface: SurfaceId, width: Pixels, height: Pixels }).strict(),
  /** A monitor's canvas, handed to the worker once: its tiles' pictures are drawn on it, each in its place. */
  z.object({ op: z.literal('wall'), wall: WallId, canvas: TransferredCanvas }).strict(),
  /** The monitor's canvas size and each shown surface's place on it, in device pixels; surfaces not listed are not drawn. */
  z
    .object({
      op: z.literal('layout'),
      wall: WallId,
      width: Pixels,
      height: Pixels,
      places: z.array(z.object({ surface: SurfaceId, x: Offset, y: Offset, w: Pixels, h: Pixels }).strict()).max(1024),
    })
    .strict(),
  z.object({ op: z.literal('drop-wall'), wall: WallId }).strict(),
  z.object({ op: z.literal('close'), id: FeedId }).strict(),
  z.object({ op: z.literal('drop-surface'), surface: SurfaceId }).strict(),
]);
export type WorkerRequest = z.infer<typeof WorkerRequest>;
/** Messages the media worker sends the page: it has started, or a feed's event. */
export const WorkerReply = z.union([z.object({ ready: z.literal(true) }).strict(), z.object({ id: FeedId, event: FeedEvent }).strict()]);
export type WorkerReply = z.infer<typeof WorkerReply>;

export const TreeNode = z.object({
  id: NodeId,
  label: z.string(),
  kind: z.enum(['root', 'kecamatan', 'kelurahan', 'rw', 'type']),
  cameras: z.number().int(),
  live: z.number().int(),
  offline: z.number().int(),
});
export type TreeNode = z.infer<typeof TreeNode>;

/** A place a 112 caller may name, where it stands, and (for districts) the tree node to show. */
export const Place = z.object({
  kind: z.enum(['kecamatan', 'kelurahan', 'rw', 'rt', 'street', 'coordinates']),
  label: z.string().max(200),
  /** Where it is: the kecamatan, or the kelurahan of a street. */
  detail: z.string().max(200),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  node: NodeId.optional(),
  cameraId: CameraId.optional(),
});
export type Place = z.infer<typeof Place>;

/** One kecamatan as the map colours it. `alerts`: alerts held and not yet acknowledged. */
export const MapDistrict = z.object({
  code: z.string(),
  name: z.string(),
  centroid: z.tuple([z.number(), z.number()]),
  cameras: z.number().int(),
  live: z.number().int(),
  offline: z.number().int(),
  alerts: z.number().int(),
});
export type MapDistrict = z.infer<typeof MapDistrict>;
const Ring = z.array(z.tuple([z.number(), z.number()])).min(4);
/** A kecamatan boundary ([lon, lat] rings) as resources/data has it. */
export const MapShape = z.object({
  code: z.string(),
  name: z.string(),
  polygons: z.array(z.array(Ring).min(1)).min(1),
});
export type MapShape = z.infer<typeof MapShape>;
export const MapCamera = z.object({
  id: CameraId,
  number: z.number().int().positive(),
  name: z.string().max(200),
  type: CameraType,
  kelurahanCode: z.string(),
  kelurahanName: z.string(),
  lat: z.number(),
  lon: z.number(),
  status: z.enum(['live', 'offline', 'unknown']),
});
export type MapCamera = z.infer<typeof MapCamera>;

export const KecamatanSummary = z.object({
  code: z.string(),
  name: z.string(),
  kelurahan: z.array(z.object({ code: z.string(), name: z.string(), cameras: z.number().int() })),
  cameras: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Analytics alerts (the backend protocol's alert, and what main adds before a renderer sees it)
// ---------------------------------------------------------------------------------------------

export const AlertType = z.enum(['crowd', 'trader_count', 'crime', 'mask', 'illegal_parking', 'incident']);
export type AlertType = z.infer<typeof AlertType>;
export const ALERT_TYPES = AlertType.options;
export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Rounding slack allowed past the picture's edge before a box counts as out of range. */
const EDGE = 0.001;
const unit = z.number().min(0).max(1);
/** A box in normalised picture coordinates: [x, y, w, h], all in 0..1, and inside the picture. */
export const AlertBox = z
  .object({
    box: z.tuple([unit, unit, z.number().gt(0).max(1), z.number().gt(0).max(1)]),
    label: Text(40),
    score: unit,
  })
  .refine((b) => b.box[0] + b.box[2] <= 1 + EDGE && b.box[1] + b.box[3] <= 1 + EDGE, { message: 'box reaches past the picture (x + w or y + h > 1)' });
export type AlertBox = z.infer<typeof AlertBox>;

export const AlertId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'alert id: 1-128 of A-Z a-z 0-9 . _ : -');
/** One alert as the analytics backend sends it (Pantau alert protocol v1, see README). */
export const Alert = z.object({
  id: AlertId,
  cameraId: CameraId,
  type: AlertType,
  severity: Severity,
  /** ISO 8601 time the analytics saw it. */
  time: z.iso.datetime({ offset: true }),
  message: Text(500),
  count: z.number().int().nonnegative().max(100_000).nullable().optional(),
  boxes: z.array(AlertBox).max(64).default([]),
});
export type Alert = z.infer<typeof Alert>;

/** The agencies alerts are routed to (their names are in the UI's two languages). */
export const AgencyId = z.enum(['polrestabes', 'disperdag', 'dishub', 'satpolpp', 'bpbd']);
export type AgencyId = z.infer<typeof AgencyId>;

export const AlertAck = z.object({
  by: z.string().max(80),
  /** The acknowledging desk's agency; null for a desk serving no one agency. */
  agency: AgencyId.nullable().optional(),
  note: z.string().max(500),
  at: z.number(),
  /** Not yet confirmed by the backend (queued while it is unreachable). */
  pending: z.boolean(),
});
export type AlertAck = z.infer<typeof AlertAck>;

/** An alert as a renderer sees it: with where its camera is, when main received it, and its ack. */
export const AlertView = Alert.extend({
  receivedAt: z.number(),
  cameraNumber: z.number().int().positive(),
  cameraName: z.string(),
  kecamatanCode: z.string(),
  kecamatanName: z.string(),
  /** Added with the map: the camera's kelurahan and position (absent in alerts saved before). */
  kelurahanCode: z.string().optional(),
  lat: z.number().nullable().optional(),
  lon: z.number().nullable().optional(),
  /** The agency the routing rules sent it to (null: none matched). */
  agency: AgencyId.nullable().optional(),
  /** When it escalated for want of an acknowledgement (epoch ms), else null. */
  escalatedAt: z.number().nullable().optional(),
  ack: AlertAck.nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

export const BackendState = z.object({
  /** off: no backend configured. */
  state: z.enum(['off', 'connecting', 'connected', 'unreachable']),
  /** Epoch ms the state began (for "unreachable since"). */
  since: z.number(),
  /** Where the alerts come from, without credentials. */
  source: z.string().max(300),
  kind: z.enum(['pantau', 'frigate', 'none']),
  lastError: z.string().max(300).nullable(),
  received: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  acksQueued: z.number().int(),
});
export type BackendState = z.infer<typeof BackendState>;

/** Which alerts pop their camera onto the alarm tile. An empty list matches everything of its kind. */
export const AlarmRule = z.object({
  types: z.array(AlertType).max(6).default([]),
  severities: z.array(Severity).max(3).default([]),
  /** kec:<code> or kel:<code> nodes; empty = the whole city. */
  districts: z.array(NodeId).max(64).default([]),
});
export type AlarmRule = z.infer<typeof AlarmRule>;

export const AlertConfig = z.object({
  /** Seconds an alert's boxes stay drawn (they fade over the last third). */
  overlaySeconds: z.number().min(1).max(600),
  muted: z.boolean(),
  rules: z.array(AlarmRule).max(32),
  /** Where alarms pop, and where a clicked alert's camera goes. */
  alarmTile: z.object({ monitor: MonitorNumber, tile: TileNumber }),
  /** An alarm not acknowledged by then gives the tile back. */
  popSeconds: z.number().min(5).max(3600),
});
export type AlertConfig = z.infer<typeof AlertConfig>;

/**
 * Which agency an alert goes to: the first rule whose types (empty: any) and districts (kec:/kel:
 * nodes; empty: the whole city) match. escalateMinutes: an alert nobody acknowledged by then escalates.
 */
export const RoutingRule = z.object({
  types: z.array(AlertType).max(6).default([]),
  districts: z.array(NodeId).max(64).default([]),
  agency: AgencyId,
});
export type RoutingRule = z.infer<typeof RoutingRule>;
export const RoutingConfig = z.object({ rules: z.array(RoutingRule).max(64), escalateMinutes: z.number().min(0.1).max(1440) });
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const AlarmState = z.object({
  active: z.object({ alertId: AlertId, cameraId: CameraId, severity: Severity, monitor: MonitorNumber, tile: TileNumber, until: z.number() }).nullable(),
  queued: z.array(z.object({ alertId: AlertId, cameraId: CameraId, severity: Severity })),
});
export type AlarmState = z.infer<typeof AlarmState>;

// ---------------------------------------------------------------------------------------------
// Statistics over the alert history
// ---------------------------------------------------------------------------------------------

export const StatsGroup = z.enum(['kecamatan', 'kelurahan', 'type', 'hour', 'day', 'camera', 'agency']);
export type StatsGroup = z.infer<typeof StatsGroup>;
/** Epoch ms; hours and days are Semarang's (WIB). At most 400 days at once. */
export const StatsQuery = z
  .object({
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    groupBy: StatsGroup,
    /** A second key inside each group, e.g. day then camera: trader counts per market per day. */
    thenBy: StatsGroup.optional(),
    types: z.array(AlertType).max(6).optional(),
    /** The busiest groups only (totals still count every group). */
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict()
  .refine((q) => q.to > q.from, { message: 'to must be after from' })
  .refine((q) => q.to - q.from <= 400 * 86_400_000, { message: 'at most 400 days at once' })
  .refine((q) => q.thenBy !== q.groupBy, { message: 'thenBy must differ from groupBy' });
export type StatsQuery = z.infer<typeof StatsQuery>;
const PeakAvg = z.object({ peak: z.number(), avg: z.number() });
export const StatsRow = z.object({
  key: z.string(),
  label: z.string(),
  key2: z.string().optional(),
  label2: z.string().optional(),
  count: z.number().int().nonnegative(),
  byType: z.record(AlertType, z.number().int().nonnegative()),
  /** Crowd sizes (people) and trader counts in the group: the largest, and the mean. */
  crowd: PeakAvg.nullable(),
  trader: PeakAvg.nullable(),
});
export type StatsRow = z.infer<typeof StatsRow>;
export const StatsResult = z.object({
  from: z.number(),
  to: z.number(),
  groupBy: StatsGroup,
  thenBy: StatsGroup.optional(),
  /** Alerts in range (of the asked types), over every group, also those past `limit`. */
  total: z.number().int().nonnegative(),
  rows: z.array(StatsRow),
});
export type StatsResult = z.infer<typeof StatsResult>;

/**
 * How camera credentials kept by Pantau are protected at rest: by the OS keyring (Electron's
 * safeStorage), only obscured (safeStorage's `basic_text` backend on a Linux without a keyring: NOT
 * protected), or by a file only its owner can read (web mode).
 */
export const CredentialProtection = z.enum(['os-keyring', 'basic-text', 'owner-only-file']);
export type CredentialProtection = z.infer<typeof CredentialProtection>;

export const Health = z.object({
  version: z.string(),
  apiVersion: z.number().int(),
  shell: z.enum(['web', 'electron']),
  camerasInCatalog: z.number().int(),
  sessions: z.number().int(),
  sessionsLive: z.number().int(),
  /** Sessions told to stop whose ffmpeg has not exited yet. */
  sessionsStopping: z.number().int(),
  /** MPEG-1 fallback transcodes running, those stopping, and how many may run at once. */
  transcodes: z.number().int(),
  transcodesStopping: z.number().int(),
  transcodeBudget: z.number().int(),
  /** Every ffmpeg of the gateway: sessions + sessionsStopping + transcodes + transcodesStopping. */
  ffmpegProcesses: z.number().int(),
  /** Prestarted ffmpegs ready for the next ingests (not counted in ffmpegProcesses). */
  ffmpegReady: z.number().int(),
  subscribers: z.number().int(),
  alerts: BackendState,
  errors: z.array(z.object({ at: z.number(), scope: z.string(), message: z.string() })),
  /** Stored files found damaged at start: moved aside (kept, never wiped), and restored from backup if one was good. */
  /** How camera credentials kept by Pantau are protected at rest ('basic-text': not protected). */
  credentialProtection: CredentialProtection,
  storeProblems: z.array(z.object({ file: z.string(), movedTo: z.string(), message: z.string(), restored: z.boolean() })),
});
export type Health = z.infer<typeof Health>;

// ---------------------------------------------------------------------------------------------
// Commands (request/response) and events (push)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Sessions, presets and the audit trail (DESIGN.md §6)
// ---------------------------------------------------------------------------------------------

export const Role = z.enum(['operator', 'supervisor', 'kiosk']);
export type Role = z.infer<typeof Role>;
/** A supervisor PIN: 4 to 12 digits. */
export const Pin = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');
export const SessionInfo = z.object({
  role: Role,
  desk: z.string(),
  /** Epoch ms when a supervisor session falls back to operator (extended by each supervisor action); null otherwise. */
  expiresAt: z.number().nullable(),
  /** Whether a supervisor PIN has been set on this console. */
  pinSet: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const PresetId = z.string().regex(/^p-[0-9a-z]{6,24}$/, 'a preset id looks like p-xxxxxx');
const PresetName = Text(60, 'a name is needed');
const PresetGroup = Text(40);
/** One monitor of a preset: its layout, its tiles' cameras by id (never a URL), its view and enlarged tile. */
export const PresetMonitor = z.object({
  monitor: MonitorNumber,
  layout: LayoutId,
  cameraIds: z.array(CameraId.nullable()).max(64),
  enlarged: TileNumber.nullable(),
  view: MonitorView.nullable(),
});
export type PresetMonitor = z.infer<typeof PresetMonitor>;
export const Preset = z.object({
  id: PresetId,
  name: PresetName,
  group: PresetGroup,
  /** The keypad number: `<n> P` loads it. */
  number: z.number().int().min(1).max(999),
  monitors: z.array(PresetMonitor).min(1).max(16),
  alarmTile: z.object({ monitor: MonitorNumber, tile: TileNumber }).nullable(),
  savedAt: z.number(),
  savedBy: z.string().max(80),
});
export type Preset = z.infer<typeof Preset>;
/** A preset file as exported: only camera ids, never credentials or URLs. */
export const PRESET_EXPORT_FORMAT = 'pantau-presets';
export const PresetImportItem = Preset.omit({ id: true, number: true, savedAt: true, savedBy: true }).extend({
  number: z.number().int().min(1).max(999).optional(),
});
export const ImportReport = z.object({
  imported: z.array(z.object({ name: z.string(), id: PresetId })),
  /** Presets whose name exists already: imported only when asked again with overwrite. */
  conflicts: z.array(z.string()),
  /** Each invalid preset: which one, which field, what was expected. */
  errors: z.array(z.string()),
});

export const AuditEntry = z.object({
  seq: z.number().int().nonnegative(),
  at: z.number(),
  session: z.string(),
  role: Role,
  desk: z.string(),
  command: z.string(),
  ok: z.boolean(),
  summary: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** What the audit view filters on: one desk, one role, a command or a family of them ("presets"). */
export const AuditFilter = z.object({
  desk: z.string().max(80).optional(),
  role: Role.optional(),
  command: z.string().max(64).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

// ---------------------------------------------------------------------------------------------
// RT kiosks (DESIGN.md §7)
// ---------------------------------------------------------------------------------------------

/** How a kiosk lays out its 1 to 4 cameras; `auto` picks by how many there are (1: 1x1, 2: 1x2, 3-4: 2x2). */
export const KioskLayout = z.enum(['auto', '1x1', '1x2', '2x2', '1+3']);
export type KioskLayout = z.infer<typeof KioskLayout>;
export const KIOSK_FORMAT = 'pantau-kiosk';
/** The hidden key chord that shows a kiosk's PIN pad (the Electron kiosk window lets only it through). */
export const KIOSK_UNLOCK_CHORD = { control: true, alt: true, shift: true, key: 'K' } as const;
export const KIOSK_MAX_CAMERAS = 4;
const RtNumber = z.number().int().min(1).max(999);
/**
 * One of the kiosk's slots: a catalog camera (the city's RT camera), or a camera the residents added,
 * by an rtsp(s):// or http(s)://….m3u8 URL. Main checks the URL as it checks the catalog's; `user` and
 * `password` (a file written by hand on the kiosk machine) go into main's credential store and are
 * never shown to a page or written back.
 */
export const KioskCameraSpec = z.union([
  z.object({ catalogId: CameraId }).strict(),
  z
    .object({
      name: Text(60, 'a camera needs a name'),
      url: z.string().min(1).max(2048),
      user: z.string().min(1).max(128).optional(),
      password: z.string().max(256).optional(),
    })
    .strict(),
]);
export type KioskCameraSpec = z.infer<typeof KioskCameraSpec>;
export const KioskTicker = z.object({
  /** The kelurahan's announcements, shown one after another along the bottom edge. */
  messages: z.array(Text(280, 'a message is empty')).min(1).max(20),
  secondsPerMessage: z.number().int().min(3).max(120).default(12),
});
/** A kiosk profile file: one RT's monitor. */
export const KioskProfile = z
  .object({
    format: z.literal(KIOSK_FORMAT),
    version: z.literal(1),
    name: Text(80, 'a name is needed'),
    rt: z
      .object({
        kecamatanCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'a kecamatan code looks like 33.74.01'),
        kelurahanCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'a kelurahan code looks like 33.74.01.1001'),
        rw: RtNumber,
        rt: RtNumber,
      })
      .strict(),
    cameras: z.array(KioskCameraSpec).min(1, 'a kiosk shows 1 to 4 cameras').max(KIOSK_MAX_CAMERAS, 'a kiosk shows 1 to 4 cameras'),
    layout: KioskLayout.default('auto'),
    language: Language.default('id'),
    clock: z
      .object({ show: z.boolean().default(true), seconds: z.boolean().default(false) })
      .strict()
      .default({ show: true, seconds: false }),
    ticker: KioskTicker.nullable().default(null),
  })
  .strict();
export type KioskProfile = z.infer<typeof KioskProfile>;
export type KioskProfileInput = z.input<typeof KioskProfile>;
/** A kiosk camera as the kiosk page sees it: no URL, no credentials. */
export const KioskCameraView = z.object({
  slot: z.number().int().min(1).max(KIOSK_MAX_CAMERAS),
  id: CameraId,
  name: z.string(),
  /** The catalog's number, or null for a camera the residents added. */
  number: z.number().int().positive().nullable(),
  /** Epoch ms of the last moment main saw its stream live; null: not since the kiosk started. */
  lastSeenAt: z.number().nullable(),
});
export const KioskView = z.object({
  name: z.string(),
  rt: z.object({ kecamatanName: z.string(), kelurahanName: z.string(), rw: z.number().int(), rt: z.number().int() }),
  cameras: z.array(KioskCameraView),
  layout: KioskLayout,
  language: Language,
  clock: z.object({ show: z.boolean(), seconds: z.boolean() }),
  ticker: z.object({ messages: z.array(z.string()), secondsPerMessage: z.number().int() }).nullable(),
  /** Epoch ms when maintenance relocks (2 minutes after the last maintenance action); null: locked. */
  maintenanceUntil: z.number().nullable(),
});
export type KioskView = z.infer<typeof KioskView>;
/** A profile kept by the control room, as a supervisor edits it (no credentials: those stay in main). */
export const KioskProfileId = z.string().regex(/^k-[0-9a-z]{6,24}$/, 'a kiosk profile id looks like k-xxxxxx');
export const StoredKioskProfile = z.object({ id: KioskProfileId, profile: KioskProfile, savedAt: z.number(), savedBy: z.string().max(80) });
export type StoredKioskProfile = z.infer<typeof StoredKioskProfile>;

const Empty = z.object({}).strict();

/** A remote operator desk's name (main/access/desks.ts): shown in the audit trail as the desk that acted. */
export const DeskName = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'a desk name is letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit');
export const DeskInfo = z.object({ name: DeskName, createdAt: z.number(), createdBy: z.string(), lastSeen: z.number().nullable() });
export type DeskInfo = z.infer<typeof DeskInfo>;

export const commands = {
  'console.hello': {
    args: z.object({ apiVersion: z.number().int() }).strict(),
    result: z.object({ apiVersion: z.number().int(), version: z.string(), shell: z.enum(['web', 'electron']) }),
  },
  'console.health': { args: Empty, result: Health },
  'catalog.districts': { args: Empty, result: z.object({ total: z.number().int(), kecamatan: z.array(KecamatanSummary) }) },
  'catalog.search': {
    args: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.array(CameraSummary),
  },
  'catalog.get': {
    args: z.object({ ids: z.array(CameraId).max(512) }).strict(),
    result: z.array(CameraSummary),
  },
  'wall.get': { args: Empty, result: WallState },
  'wall.setLayout': {
    args: z.object({ monitor: MonitorNumber, layout: LayoutId }).strict(),
    result: WallState,
  },
  'wall.assign': {
    args: z.object({ monitor: MonitorNumber, tile: TileNumber, cameraId: CameraId.nullable() }).strict(),
    result: WallState,
  },
  'wall.showCameras': {
    /** Fills a monitor in tile order (optionally switching layout first); tiles past the list are cleared. */
    args: z.object({ monitor: MonitorNumber, cameraIds: z.array(CameraId).max(64), layout: LayoutId.optional() }).strict(),
    result: WallState,
  },
  'wall.show': {
    /** Fills the monitors (as one group, in order) with a district's or list's cameras, page by page. */
    args: z
      .object({
        monitors: z.array(MonitorNumber).min(1).max(16),
        source: ViewSource,
        page: z.number().int().nonnegative().default(0),
        layout: LayoutId.optional(),
      })
      .strict(),
    result: WallState,
  },
  'wall.page': {
    args: z.object({ monitor: MonitorNumber, to: z.union([z.enum(['next', 'prev']), z.number().int().nonnegative()]) }).strict(),
    result: WallState,
  },
  'wall.sequence': {
    args: z.object({ monitor: MonitorNumber, action: z.enum(['start', 'stop']), dwellSeconds: z.number().min(MIN_DWELL_S).max(3600).default(5) }).strict(),
    result: WallState,
  },
  'wall.touch': {
    /** The operator is interacting with this monitor: a running sequence pauses for a while. */
    args: z.object({ monitor: MonitorNumber }).strict(),
    result: z.object({ pausedUntil: z.number().nullable() }),
  },
  'wall.enlarge': {
    args: z.object({ monitor: MonitorNumber, tile: TileNumber.nullable() }).strict(),
    result: WallState,
  },
  'wall.history': {
    args: z.object({ monitor: MonitorNumber, tile: TileNumber, direction: z.enum(['back', 'forward']) }).strict(),
    result: WallState,
  },
  'wall.step': {
    /** Next or previous camera on a tile: within the monitor's view when it has one, else by catalog number. */
    args: z.object({ monitor: MonitorNumber, tile: TileNumber, direction: z.enum(['next', 'prev']) }).strict(),
    result: WallState,
  },
  'wall.route': {
    /** The CCTV-keyboard way: a camera by its catalog number onto a monitor's tile. */
    args: z.object({ monitor: MonitorNumber, tile: TileNumber, number: z.number().int().positive().max(99_999_999) }).strict(),
    result: WallState,
  },
  'wall.swapMonitors': {
    /** Moves a monitor's content where the operator wants it (e.g. off a display that was unplugged). */
    args: z.object({ a: MonitorNumber, b: MonitorNumber }).strict(),
    result: WallState,
  },
  'wall.identify': {
    args: Empty,
    result: z.object({ until: z.number() }),
  },
  /** Places for a 112 call: kecamatan, kelurahan, RW, RT, streets in the catalog, or typed coordinates. */
  'catalog.places': { args: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(50).default(12) }).strict(), result: z.object({ places: z.array(Place) }) },
  /**
   * The cameras nearest a place onto a monitor, nearest first (within radiusM when given), with their
   * distances in the monitor's view (tiles show them). Fills the layout's tiles (pages for the rest).
   */
  'wall.showNearest': {
    args: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        radiusM: z.number().positive().max(50_000).optional(),
        monitor: MonitorNumber,
        layout: LayoutId.optional(),
        label: Text(80).optional(),
      })
      .strict(),
    result: WallState,
  },
  /** The kecamatan boundaries, for the map (static). */
  'map.shapes': { args: Empty, result: z.object({ shapes: z.array(MapShape) }) },
  /** Each kecamatan's cameras, their health and open alerts, for the map's colours. */
  'map.status': { args: Empty, result: z.object({ districts: z.array(MapDistrict) }) },
  /** A kecamatan's cameras with positions, for the map zoomed into it. */
  'map.cameras': { args: z.object({ kecamatan: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/) }).strict(), result: z.object({ cameras: z.array(MapCamera) }) },
  'catalog.tree': {
    args: z.object({ node: NodeId.default('root') }).strict(),
    result: z.object({ node: TreeNode, children: z.array(TreeNode), cameras: z.array(CameraSummary) }),
  },
  'stream.open': {
    /** transcode: the browser can't decode this camera's codec; ask for the MPEG-1 (JSMpeg) fallback. */
    args: z.object({ cameraId: CameraId, quality: StreamQuality, transcode: z.boolean().default(false) }).strict(),
    /**
     * url is loopback and carries a token; never the camera's own URL. kind 'fmp4': a one-use
     * WebSocket from the stream gateway (RTSP cameras). kind 'hls': a playlist proxied by main, for
     * hls.js (cameras whose source is an http(s) .m3u8 playlist). kind 'mpeg1': a one-use WebSocket
     * carrying MPEG-TS with MPEG-1 video for JSMpeg (the transcode fallback). A transcode over the
     * budget is refused with 'over_budget' and a reason that says so.
     */
    result: z.object({ url: z.string(), kind: z.enum(['fmp4', 'hls', 'mpeg1']), cameraId: CameraId, quality: StreamQuality }),
  },
  'stream.replay': {
    args: z.object({ cameraId: CameraId, quality: StreamQuality }).strict(),
    /** url is a loopback HLS playlist of the last two minutes, behind a token. */
    result: z.object({ url: z.string(), windowSeconds: z.number().int() }),
  },
  'alerts.list': {
    /** The alerts main holds (newest first), the backend's state, the config and the alarm queue. */
    args: z.object({ limit: z.number().int().min(1).max(2000).default(1000) }).strict(),
    result: z.object({
      alerts: z.array(AlertView),
      backend: BackendState,
      config: AlertConfig,
      alarm: AlarmState,
      routing: RoutingConfig.optional(),
      /** The agency this desk serves (its alert queue), or null for all alerts. */
      deskAgency: AgencyId.nullable().optional(),
    }),
  },
  /** Supervisors: the routing rules and the escalation time. */
  'alerts.setRouting': { args: RoutingConfig.partial().strict(), result: RoutingConfig },
  /** Supervisors: the agency this desk serves (null: every alert). */
  'alerts.setDeskAgency': { args: z.object({ agency: AgencyId.nullable() }).strict(), result: z.object({ desk: z.string(), agency: AgencyId.nullable() }) },
  'alerts.ack': {
    args: z.object({ id: AlertId, note: z.string().max(500).default('') }).strict(),
    result: AlertView,
  },
  'alerts.setConfig': {
    args: AlertConfig.partial().strict(),
    result: AlertConfig,
  },
  'session.whoami': { args: Empty, result: SessionInfo },
  'session.elevate': { args: z.object({ pin: z.string().max(64) }).strict(), result: SessionInfo },
  'session.drop': { args: Empty, result: SessionInfo },
  /** Sets the supervisor PIN: anyone on a console without one (first start), then a supervisor only. */
  'session.setPin': { args: z.object({ pin: Pin }).strict(), result: SessionInfo },
  'presets.list': { args: Empty, result: z.object({ presets: z.array(Preset) }) },
  'presets.load': { args: z.object({ id: PresetId.optional(), number: z.number().int().min(1).max(999).optional() }).strict(), result: WallState },
  'presets.save': { args: z.object({ name: PresetName, group: PresetGroup.default('') }).strict(), result: Preset },
  'presets.update': { args: z.object({ id: PresetId }).strict(), result: Preset },
  'presets.rename': { args: z.object({ id: PresetId, name: PresetName.optional(), group: PresetGroup.optional() }).strict(), result: Preset },
  'presets.delete': { args: z.object({ id: PresetId }).strict(), result: z.object({ id: PresetId }) },
  'presets.reorder': { args: z.object({ ids: z.array(PresetId).max(999) }).strict(), result: z.object({ presets: z.array(Preset) }) },
  'presets.export': { args: z.object({ ids: z.array(PresetId).max(999).optional() }).strict(), result: z.object({ json: z.string() }) },
  'presets.import': { args: z.object({ json: z.string().max(4_000_000), overwrite: z.boolean().default(false) }).strict(), result: ImportReport },
  'audit.list': {
    args: AuditFilter.extend({ after: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.object({ entries: z.array(AuditEntry), intact: z.boolean() }),
  },
  /** Cameras whose credentials Pantau keeps (ids only: a user name or password never leaves main), and how they are protected. */
  'cameras.credentials': { args: Empty, result: z.object({ cameraIds: z.array(CameraId), protection: CredentialProtection }) },
  /** Keeps a camera's user name and password in main, for its stream URL when that carries none. */
  'cameras.setCredentials': {
    args: z.object({ cameraId: CameraId, user: z.string().min(1).max(128), password: z.string().max(256) }).strict(),
    result: z.object({ cameraId: CameraId, protection: CredentialProtection }),
  },
  'cameras.clearCredentials': { args: z.object({ cameraId: CameraId }).strict(), result: z.object({ cameraId: CameraId }) },
  /** The matching entries as CSV (all of them, oldest first), for a spreadsheet. */
  'audit.exportCsv': { args: AuditFilter.strict(), result: z.object({ csv: z.string(), rows: z.number().int(), intact: z.boolean() }) },
  /** The kiosk's own profile as its page shows it (kiosk sessions only). */
  'kiosk.view': { args: Empty, result: KioskView },
  /** Alerts for the kiosk's own cameras only, and whether the analytics backend is there. */
  'kiosk.alerts': { args: Empty, result: z.object({ alerts: z.array(AlertView), backend: BackendState }) },
  /** The supervisor PIN (same lockout as session.elevate) opens maintenance for 2 minutes of inactivity. */
  'kiosk.unlock': { args: z.object({ pin: z.string().max(64) }).strict(), result: KioskView },
  'kiosk.relock': { args: Empty, result: KioskView },
  /** Maintenance only: someone is at the screen; maintenance lasts another 2 minutes. */
  'kiosk.touch': { args: Empty, result: KioskView },
  /** Maintenance only: change how the kiosk shows its cameras (written back to its profile file). */
  'kiosk.configure': {
    args: z
      .object({
        layout: KioskLayout.optional(),
        language: Language.optional(),
        clock: z.object({ show: z.boolean(), seconds: z.boolean() }).strict().optional(),
        ticker: KioskTicker.nullable().optional(),
      })
      .strict(),
    result: KioskView,
  },
  /** Maintenance only: replace the whole profile with another profile file's text. */
  'kiosk.replaceProfile': { args: z.object({ json: z.string().max(200_000) }).strict(), result: KioskView },
  /** Maintenance only: close the kiosk (the app exits; autostart does not bring it back until the next boot). */
  'kiosk.exit': { args: Empty, result: z.object({ exiting: z.literal(true) }) },
  /** Supervisors: the control room's kiosk profiles. */
  'kioskProfiles.list': { args: Empty, result: z.object({ profiles: z.array(StoredKioskProfile) }) },
  /** Creates (no id) or replaces a profile; credentials given for URL cameras are kept in main. */
  'kioskProfiles.save': { args: z.object({ id: KioskProfileId.optional(), profile: KioskProfile }).strict(), result: StoredKioskProfile },
  'kioskProfiles.delete': { args: z.object({ id: KioskProfileId }).strict(), result: z.object({ id: KioskProfileId }) },
  /** The profile as a file for the kiosk machine (credentials left out), and a file name for it. */
  'kioskProfiles.export': { args: z.object({ id: KioskProfileId }).strict(), result: z.object({ json: z.string(), fileName: z.string() }) },
  /** Supervisors: the remote operator desks that may sign in over the room's network (web mode, --listen). */
  'desks.list': { args: Empty, result: z.object({ desks: z.array(DeskInfo) }) },
  /** Makes a desk; its token is in this answer only, never stored or shown again. */
  'desks.add': { args: z.object({ name: DeskName }).strict(), result: z.object({ name: DeskName, token: z.string() }) },
  /** Revokes a desk: its token stops working and its open sessions are closed. */
  'desks.revoke': { args: z.object({ name: DeskName }).strict(), result: z.object({ name: DeskName }) },
  /** Counts per group, and crowd and trader peaks and averages, from the alert history. */
  'stats.summary': { args: StatsQuery, result: StatsResult.extend({ stored: z.object({ oldest: z.number().nullable(), newest: z.number().nullable(), rows: z.number().int() }) }) },
  /** The same table as CSV (one line per row; per-type counts as columns), for a spreadsheet. */
  'stats.exportCsv': { args: StatsQuery, result: z.object({ csv: z.string(), rows: z.number().int(), total: z.number().int() }) },
  'settings.get': { args: Empty, result: z.object({ language: Language }) },
  'settings.setLanguage': { args: z.object({ language: Language }).strict(), result: z.object({ language: Language }) },
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<K extends CommandName> = z.input<(typeof commands)[K]['args']>;
export type CommandResult<K extends CommandName> = z.infer<(typeof commands)[K]['result']>;

export const events = {
  'wall.changed': WallState,
  'stream.health': StreamHealth,
  'settings.changed': z.object({ language: Language }),
  /** New or changed alerts (upsert by id), batched. */
  'alerts.changed': z.object({ alerts: z.array(AlertView) }),
  'alerts.backend': BackendState,
  'alerts.config': AlertConfig,
  'alerts.alarm': AlarmState,
  /** The routing rules changed, or this desk's agency (filled in per session). */
  'alerts.routing': z.object({ routing: RoutingConfig, deskAgency: AgencyId.nullable() }),
  /** Every window shows its monitor number until `until` (epoch ms). */
  'wall.identify': z.object({ until: z.number() }),
  /** The preset list changed (saved, renamed, reordered, deleted, imported). */
  'presets.changed': z.object({ presets: z.array(Preset) }),
  /** The kiosk's profile or maintenance state changed (kiosk sessions only). */
  'kiosk.changed': KioskView,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>;

export const ErrorCode = z.enum(['bad_request', 'unknown_command', 'version_mismatch', 'not_found', 'forbidden', 'unavailable', 'over_budget', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;
/** `reason`: what an operator is told, as a code the renderer translates (the message is for logs). */
export const ApiErrorShape = z.object({ code: ErrorCode, message: z.string(), reason: Reason.optional() });

/** A typed failure that crosses the border intact. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: Reason,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The error as it crosses the border. */
  get shape(): z.infer<typeof ApiErrorShape> {
    return { code: this.code, message: this.message, ...(this.reason ? { reason: this.reason } : {}) };
  }

  static from(shape: z.infer<typeof ApiErrorShape>): ApiError {
    return new ApiError(shape.code, shape.message, shape.reason);
  }
}

/** The interface the renderer codes against, whichever shell hosts it. */
export interface ConsoleApi {
  readonly apiVersion: number;
  call<K extends CommandName>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Wire framing (WebSocket in web mode; the IPC shell reuses the same parsing)
// ---------------------------------------------------------------------------------------------

export const RequestFrame = z.object({
  v: z.number().int(),
  id: z.number().int().nonnegative(),
  command: z.string().max(64),
  args: z.unknown(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export const ResponseFrame = z.union([
  z.object({ v: z.number().int(), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ v: z.number().int(), id: z.number().int().nullable(), ok: z.literal(false), error: ApiErrorShape }),
]);
export const EventFrame = z.object({ v: z.number().int(), event: z.string(), payload: z.unknown() });

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** Describes a zod failure by field path, e.g. "monitor: Too small: expected number to be >=1". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parses a command's arguments, throwing ApiError('bad_request') that names the field. */
export function parseArgs<K extends CommandName>(command: K, raw: unknown): z.infer<(typeof commands)[K]['args']> {
  const parsed = commands[command].args.safeParse(raw ?? {});
  if (!parsed.success) throw new ApiError('bad_request', `${command}: ${describeZodError(parsed.error)}`);
  return parsed.data as z.infer<(typeof commands)[K]['args']>;
}

/** Parses a command's result on the receiving (renderer) side. */
export function parseResult<K extends CommandName>(command: K, raw: unknown): CommandResult<K> {
  const parsed = commands[command].result.safeParse(raw);
  if (!parsed.success) throw new ApiError('internal', `${command} answered malformed data: ${describeZodError(parsed.error)}`);
  return parsed.data as CommandResult<K>;
}

export function parseEvent<K extends EventName>(event: K, raw: unknown): EventPayload<K> | null {
  const parsed = events[event].safeParse(raw);
  return parsed.success ? (parsed.data as EventPayload<K>) : null;
}

/** IPC channel names: one for commands, one per event. An allowlist, never built from input. */
export const IPC_INVOKE_CHANNEL = 'pantau:invoke';
export const IPC_EVENT_CHANNEL = 'pantau:event';
