/**
 * Is this element seen by anyone? (runtime: browser) True only while the window is visible and the
 * element intersects the viewport. A covered tile (display:none) never intersects, so it counts as
 * unseen too. Tiles use this to release streams nobody is watching.
 */
import { useEffect, useState, useSyncExternalStore, type RefObject } from 'react';

function subscribeVisibility(cb: () => void): () => void {
  document.addEventListener('visibilitychange', cb);
  return () => document.removeEventListener('visibilitychange', cb);
}
export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible');
}

export function useSeen(ref: RefObject<Element | null>, enabled: boolean): boolean {
  const pageVisible = usePageVisible();
  const [intersecting, setIntersecting] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    const io = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setIntersecting(last.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, enabled]);
  return enabled && pageVisible && intersecting;
}
