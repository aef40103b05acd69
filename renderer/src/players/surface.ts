/**
 * Where the media worker draws decoded pictures (runtime: the media worker): a Surface is one tile's
 * picture, drawn either on the tile's own canvas or in the tile's place on its monitor's canvas (a
 * Wall). The painter draws every surface with a new picture once per animation frame of the worker.
 *
 * Why one canvas per monitor: on a wall without a GPU, each tile canvas handed to a worker is a
 * surface of its own for Chromium's display compositor, which takes a frame from every one of them
 * at every picture; a monitor's tiles drawn on one canvas are one frame per animation frame, with
 * the same pictures (bench/README.md, wall-capacity and webcodecs-wall). The page lays the tiles'
 * places out (feed-host.ts) and keeps the tiles transparent where their picture shows through; the
 * tile's own canvas stays for tiles outside a monitor (the kiosk) and for the MPEG-1 fallback.
 */

/** A rectangle on a canvas, in device pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What a surface tells when one of its pictures is drawn: the feed that decoded it. */
export interface PictureSource {
  onDrawn(width: number, height: number): void;
}

/**
 * Decoded pictures a surface holds for its next paints; more means it can't keep up, and the oldest
 * is dropped undrawn. At most 6 (400 ms of a 15 fps sub stream): on a loaded machine the painter
 * gets to run only about 20 times a second (a 64-tile wall here), barely above the streams' 15, so a
 * surface drains a burst of pictures slowly. With 3, a 64-tile wall dropped about a tenth of its
 * pictures undrawn and its worst tile drew 86 %; with 6 it drew them all in two runs where the painter
 * ran about 22 times a second. Below about 15 passes a second no queue helps, and that happened in
 * two of three fresh-clone runs (bench/README.md, wall-capacity, session 26). A surface that keeps up
 * holds one or none, so this adds no delay then.
 */
const MAX_PENDING = 6;
/**
 * The painter's shortest interval: every other frame of a 60 Hz display. Each frame a wall's canvas
 * is drawn on is a copy of the whole canvas for the compositor; sub streams of up to 25 fps still
 * have every picture drawn (a burst waits in `pending`).
 */
const PAINT_MS = 30;

/** Tests only: every surface keeps only every `keepEvery`-th picture it is offered (a wall that can't keep up). */
export const starve = { keepEvery: 1 };
/**
 * For benchmarks: decoded pictures this worker dropped undrawn because a surface already held
 * MAX_PENDING, and how many times the painter has drawn (its rate is the most any tile can show).
 */
export const paintCounts = { undrawn: 0, paints: 0 };

/** The picture's place in a box: scaled to fit, centred (letterboxed). */
export function fit(box: Box, w: number, h: number): Box {
  const scale = w > 0 && h > 0 ? Math.min(box.w / w, box.h / h) : 1;
  const pw = Math.round(w * scale);
  const ph = Math.round(h * scale);
  return { x: box.x + Math.round((box.w - pw) / 2), y: box.y + Math.round((box.h - ph) / 2), w: pw, h: ph };
}

const clamp = (v: number) => Math.max(1, Math.min(8192, Math.round(v)));
const same = (a: Box | null, b: Box | null) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);

/** A monitor's canvas in the worker: every tile's picture of that monitor, each in its place. */
export class Wall {
  readonly ctx: OffscreenCanvasRenderingContext2D | null;
  /** Each surface's place on this canvas, by surface id, as the page last laid them out. */
  private places = new Map<number, Box>();
  private readonly members = new Set<Surface>();

  constructor(readonly canvas: OffscreenCanvas) {
    this.ctx = canvas.getContext('2d', { alpha: false });
  }

  placeOf(id: number): Box | null {
    return this.places.get(id) ?? null;
  }

  join(s: Surface): void {
    this.members.add(s);
  }

  leave(s: Surface): void {
    this.members.delete(s);
  }

  /**
   * The page's layout: the canvas's size and the place of every surface shown (the others are not
   * drawn). Pictures already on the canvas move with their surfaces, so a new layout shows no black.
   */
  layout(width: number, height: number, places: ReadonlyMap<number, Box>): void {
    const w = clamp(width);
    const h = clamp(height);
    const resized = w !== this.canvas.width || h !== this.canvas.height;
    if (!resized && places.size === this.places.size && [...places].every(([id, b]) => same(b, this.places.get(id) ?? null))) return;
    this.places = new Map(places);
    const ctx = this.ctx;
    if (!ctx) return;
    let snapshot: OffscreenCanvas | null = null;
    if ([...this.members].some((s) => s.drawnAt)) {
      snapshot = new OffscreenCanvas(this.canvas.width, this.canvas.height);
      snapshot.getContext('2d')?.drawImage(this.canvas, 0, 0);
    }
    if (resized) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (const s of this.members) s.moveTo(this.placeOf(s.id), snapshot);
  }
}

/** A tile's picture in the worker: drawn by whichever feed the tile's slot runs. */
export class Surface {
  readonly canvas: OffscreenCanvas;
  private readonly ctx: OffscreenCanvasRenderingContext2D | null;
  private readonly wall: Wall | null;
  /** Where this surface's pictures go: the whole of its own canvas, or its place on the wall (null: not shown). */
  private box: Box | null;
  /** Decoded pictures not drawn yet, oldest first: one is drawn per animation frame. */
  private pending: VideoFrame[] = [];
  /** On a wall, the newest picture counted while the surface had no place: drawn when it gets one. */
  private held: VideoFrame | null = null;
  /** Where the last picture went (on the canvas), to carry it over a resize or a new layout. */
  drawnAt: Box | null = null;
  /** The size of the picture the box's letterbox bars were last cleared for (null: none since the box was set). */
  private clearedFor: { w: number; h: number } | null = null;
  private drawTo: PictureSource | null = null;
  /** Pictures drawn on this surface, for tests and benchmarks. */
  drawn = 0;
  /** Tests only: pictures offered while starved (see `starve`). */
  private starveSeen = 0;

  constructor(
    readonly id: number,
    target: OffscreenCanvas | Wall,
  ) {
    if (target instanceof Wall) {
      this.wall = target;
      this.canvas = target.canvas;
      this.ctx = target.ctx;
      this.box = target.placeOf(id);
      target.join(this);
    } else {
      this.wall = null;
      this.canvas = target;
      this.ctx = target.getContext('2d', { alpha: false });
      this.box = { x: 0, y: 0, w: target.width, h: target.height };
    }
  }

  /** The size the picture is drawn at, in device pixels (for tests: the tile's size on screen); null when not shown. */
  get size(): [number, number] | null {
    return this.box ? [this.box.w, this.box.h] : null;
  }

  /** Where the pictures go on the canvas, in device pixels (for tests: the tile's place on its monitor); null when not shown. */
  get place(): Box | null {
    return this.box ? { ...this.box } : null;
  }

  /** The tile's size on screen, in device pixels, for a surface with a canvas of its own; the picture on it is kept, scaled. */
  resize(width: number, height: number): void {
    if (this.wall) return;
    const w = clamp(width);
    const h = clamp(height);
    if (w === this.canvas.width && h === this.canvas.height) return;
    const was = this.drawnAt;
    const copy = was && this.ctx ? new OffscreenCanvas(this.canvas.width, this.canvas.height) : null;
    copy?.getContext('2d')?.drawImage(this.canvas, 0, 0);
    this.canvas.width = w;
    this.canvas.height = h;
    this.box = { x: 0, y: 0, w, h };
    this.drawnAt = null;
    if (copy && was) this.draw(copy, was.w, was.h, was);
  }

  /** A new place on the wall (after the wall was cleared): the last picture, from the snapshot of the old canvas, or the one held. */
  moveTo(box: Box | null, snapshot: OffscreenCanvas | null): void {
    const was = this.drawnAt;
    this.box = box;
    this.drawnAt = null;
    this.clearedFor = null;
    if (!box) return;
    const held = this.held;
    this.held = null;
    if (held) {
      this.draw(held, held.displayWidth, held.displayHeight);
      held.close();
    } else if (was && snapshot) this.draw(snapshot, was.w, was.h, was);
  }

  /** Draws a picture (or a part of a canvas) fitted into the box; on a wall, the box's bars are cleared first. */
  private draw(image: CanvasImageSource, w: number, h: number, from?: Box): void {
    const box = this.box;
    const ctx = this.ctx;
    if (!box || !ctx) return;
    const to = fit(box, w, h);
    // The box changes only through moveTo, which forgets what was cleared: a new picture size is the other reason.
    if (this.wall && (this.clearedFor?.w !== to.w || this.clearedFor.h !== to.h)) {
      if (to.w < box.w || to.h < box.h) {
        ctx.fillStyle = '#000';
        ctx.fillRect(box.x, box.y, box.w, box.h);
      }
      this.clearedFor = { w: to.w, h: to.h };
    }
    if (from) ctx.drawImage(image, from.x, from.y, from.w, from.h, to.x, to.y, to.w, to.h);
    else ctx.drawImage(image, to.x, to.y, to.w, to.h);
    this.drawnAt = to;
  }

  /**
   * A decoded picture from `source`, drawn on a coming animation frame. Pictures that arrive together
   * (a burst from the network, or frames the display skipped while busy) are drawn one per frame,
   * so each is shown; past MAX_PENDING the oldest is dropped, so a wall that can't keep up stays live.
   */
  offer(source: PictureSource, frame: VideoFrame): void {
    if (__PANTAU_TEST_HOOKS__ && starve.keepEvery > 1 && this.starveSeen++ % starve.keepEvery !== 0) {
      frame.close();
      return;
    }
    if (this.drawTo !== source) this.dropPending();
    this.drawTo = source;
    this.pending.push(frame);
    while (this.pending.length > MAX_PENDING) {
      this.pending.shift()!.close();
      paintCounts.undrawn++;
    }
    painter.add(this);
  }

  /**
   * Draws the oldest pending picture (on the worker's animation frame); true while more wait. A
   * surface on a wall with no place (a slot not in front yet) counts it and keeps it for its place.
   */
  paint(): boolean {
    const f = this.pending.shift();
    if (!f) return false;
    if (!this.ctx) {
      f.close();
      return this.pending.length > 0;
    }
    if (this.box) {
      this.draw(f, f.displayWidth, f.displayHeight);
      f.close();
    } else {
      this.held?.close();
      this.held = f;
    }
    this.drawn++;
    this.drawTo?.onDrawn(f.displayWidth, f.displayHeight);
    return this.pending.length > 0;
  }

  private dropPending(): void {
    for (const f of this.pending) f.close();
    this.pending = [];
  }

  /** The feed that drew here is gone: an undrawn picture of it is dropped, the last one drawn stays. */
  release(source: PictureSource): void {
    if (this.drawTo !== source) return;
    this.drawTo = null;
    this.dropPending();
  }

  /** The tile let go of this surface: nothing of it is drawn any more. */
  dispose(): void {
    this.drawTo = null;
    this.dropPending();
    this.held?.close();
    this.held = null;
    this.wall?.leave(this);
  }
}

/**
 * Draws every surface with a new picture, once per animation frame of the worker: all tiles'
 * pictures of one display frame in one pass (on a wall, one frame of its canvas). The loop runs
 * while pictures come and stops a second after the last.
 */
const painter = {
  dirty: new Set<Surface>(),
  running: false,
  lastWork: 0,
  add(s: Surface) {
    this.dirty.add(s);
    this.lastWork = performance.now();
    if (this.running) return;
    this.running = true;
    const raf = (self as unknown as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
    const schedule = (f: () => void) => (raf ? raf.call(self, f) : setTimeout(f, 16));
    let last = 0;
    const run = () => {
      const now = performance.now();
      if (now - last < PAINT_MS) {
        schedule(run);
        return;
      }
      last = now;
      paintCounts.paints++;
      const all = [...this.dirty];
      this.dirty.clear();
      for (const d of all) if (d.paint()) this.dirty.add(d);
      if (this.dirty.size === 0 && performance.now() - this.lastWork > 1_000) this.running = false;
      else schedule(run);
    };
    schedule(run);
  },
};
