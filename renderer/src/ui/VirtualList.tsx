/**
 * A virtualised list of fixed-height rows (runtime: browser): only the rows in view (plus a few) are
 * in the DOM, so 10,000 search results scroll as smoothly as ten.
 */
import { useLayoutEffect, useRef, useState } from 'react';

export function VirtualList<T>({
  items,
  rowHeight,
  render,
  testId,
  overscan = 6,
}: {
  items: readonly T[];
  rowHeight: number;
  render: (item: T, index: number) => React.ReactNode;
  testId?: string;
  overscan?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: React.ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} style={{ position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}>
        {render(items[i]!, i)}
      </div>,
    );
  }
  return (
    <div ref={box} className="min-h-0 flex-1 overflow-y-auto" data-testid={testId} data-count={items.length} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div style={{ position: 'relative', height: items.length * rowHeight }}>{rows}</div>
    </div>
  );
}
