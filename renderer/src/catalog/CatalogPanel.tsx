/**
 * The catalog browser (runtime: browser): a search box that answers every keystroke, and a tree
 * kecamatan → kelurahan → RW → RT (plus ATCS and private) with camera, live and offline counts.
 * Both are virtualised. Cameras and districts drag onto tiles and monitors; "Show" fills the target
 * monitors with a district; double-click (or Enter in the search box) routes a camera to the
 * selected tile.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CameraSummary, ConsoleApi, NodeId, TreeNode } from '../../../preload/contract';
import { useI18n } from '../i18n/i18n';
import { VirtualList } from '../ui/VirtualList';
import { setDragPayload } from '../wall/drag';

type Level = { node: TreeNode; children: TreeNode[]; cameras: CameraSummary[] };
type Row = { kind: 'node'; depth: number; node: TreeNode; open: boolean } | { kind: 'camera'; depth: number; camera: CameraSummary };

const ROW = 30;

export interface CatalogPanelProps {
  api: ConsoleApi;
  targets: number[];
  onRoute: (camera: CameraSummary) => void;
  onError: (error: unknown) => void;
}

function CameraRow({ camera, depth, onRoute }: { camera: CameraSummary; depth: number; onRoute: (c: CameraSummary) => void }) {
  return (
    <div
      draggable
      onDragStart={(e) => setDragPayload(e.dataTransfer, { kind: 'camera', id: camera.id })}
      onDoubleClick={() => onRoute(camera)}
      data-catalog-camera={camera.id}
      title={`${camera.name} · ${camera.kelurahanName} · ${camera.kecamatanName}`}
      className="flex h-full cursor-grab items-center gap-2 truncate border-b border-edge/40 px-2 text-sm hover:bg-edge"
      style={{ paddingLeft: 8 + depth * 14 }}
    >
      <span className="w-14 shrink-0 font-mono text-xs text-ink-dim">#{camera.number}</span>
      <span className="truncate">{camera.name}</span>
      <span className="ml-auto shrink-0 truncate text-xs text-ink-dim">{camera.kecamatanName}</span>
    </div>
  );
}

export function CatalogPanel({ api, targets, onRoute, onError }: CatalogPanelProps) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CameraSummary[] | null>(null);
  const [levels, setLevels] = useState<ReadonlyMap<NodeId, Level>>(new Map());
  const [open, setOpen] = useState<ReadonlySet<NodeId>>(new Set());
  const asked = useRef(0);

  // Search on every keystroke; an older answer never overwrites a newer one.
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    const n = ++asked.current;
    api.call('catalog.search', { query: q, limit: 500 }).then((r) => n === asked.current && setResults(r), onError);
  }, [api, query, onError]);

  const load = useCallback((node: NodeId) => api.call('catalog.tree', { node }).then((level) => setLevels((cur) => new Map(cur).set(node, level)), onError), [api, onError]);

  const openRef = useRef(open);
  openRef.current = open;
  // The root, and the counts of everything open, refresh every few seconds (live/offline change).
  useEffect(() => {
    void load('root');
    const id = window.setInterval(() => {
      void load('root');
      for (const node of openRef.current) void load(node);
    }, 5_000);
    return () => window.clearInterval(id);
  }, [load]);

  // The updater only computes the next set (React may run it twice); loading happens outside it.
  const toggle = (node: NodeId) => {
    const opening = !open.has(node);
    setOpen((cur) => {
      const next = new Set(cur);
      if (opening) next.add(node);
      else next.delete(node);
      return next;
    });
    if (opening && !levels.has(node)) void load(node);
  };

  const rows = useMemo(() => {
    const out: Row[] = [];
    const walk = (node: NodeId, depth: number) => {
      const level = levels.get(node);
      if (!level) return;
      for (const child of level.children) {
        const isOpen = open.has(child.id);
        out.push({ kind: 'node', depth, node: child, open: isOpen });
        if (isOpen) walk(child.id, depth + 1);
      }
      for (const camera of level.cameras) out.push({ kind: 'camera', depth, camera });
    };
    walk('root', 0);
    return out;
  }, [levels, open]);

  const show = (node: TreeNode) => {
    api.call('wall.show', { monitors: targets, source: { kind: 'district', node: node.id } }).catch(onError);
  };

  const nodeRow = (r: Extract<Row, { kind: 'node' }>) => (
    <div
      draggable={r.node.kind !== 'root'}
      onDragStart={(e) => setDragPayload(e.dataTransfer, { kind: 'district', node: r.node.id })}
      data-node={r.node.id}
      className="flex h-full items-center gap-1 border-b border-edge/40 pr-1 text-sm hover:bg-edge"
      style={{ paddingLeft: 4 + r.depth * 14 }}
    >
      <button type="button" className="w-5 shrink-0 text-ink-dim" aria-expanded={r.open} aria-label={r.node.label} onClick={() => toggle(r.node.id)}>
        {r.open ? '▾' : '▸'}
      </button>
      <span className="truncate font-semibold" onClick={() => toggle(r.node.id)}>
        {r.node.label}
      </span>
      <span className="ml-auto flex shrink-0 items-center gap-1.5 text-xs tabular-nums">
        <span className="text-ink-dim" title={t('catalog.counts', { n: r.node.cameras })}>
          {r.node.cameras}
        </span>
        <span className="text-tile-live" data-count="live" title={t('catalog.live', { n: r.node.live })}>
          ●{r.node.live}
        </span>
        <span className={r.node.offline ? 'font-bold text-tile-offline' : 'text-ink-dim'} data-count="offline" title={t('catalog.offline', { n: r.node.offline })}>
          ●{r.node.offline}
        </span>
        <button
          type="button"
          data-action="show-district"
          className="rounded bg-accent px-1.5 font-semibold text-black"
          title={t('catalog.showTitle', { name: r.node.label, monitors: targets.join(', ') })}
          onClick={() => show(r.node)}
        >
          {t('catalog.show')}
        </button>
      </span>
    </div>
  );

  return (
    <aside className="flex min-h-0 w-96 flex-1 flex-col bg-panel" aria-label={t('catalog.title')} data-testid="catalog">
      <div className="border-b border-edge p-2">
        <h2 className="mb-1 text-sm font-bold uppercase tracking-wide text-ink-dim">{t('catalog.title')}</h2>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && results?.[0]) onRoute(results[0]);
            if (e.key === 'Escape') setQuery('');
          }}
          placeholder={t('catalog.search')}
          aria-label={t('catalog.search')}
          data-testid="catalog-search"
          className="w-full rounded border border-edge bg-wall px-2 py-1.5 text-base text-ink"
        />
        <p className="mt-1 text-xs text-ink-dim">{results ? (results.length ? t('catalog.results', { n: results.length }) : t('catalog.noResults')) : t('catalog.dragHint')}</p>
      </div>
      {results ? (
        <VirtualList testId="catalog-results" items={results} rowHeight={ROW} render={(c) => <CameraRow camera={c} depth={0} onRoute={onRoute} />} />
      ) : (
        <VirtualList testId="catalog-tree" items={rows} rowHeight={ROW} render={(r) => (r.kind === 'node' ? nodeRow(r) : <CameraRow camera={r.camera} depth={r.depth} onRoute={onRoute} />)} />
      )}
    </aside>
  );
}
