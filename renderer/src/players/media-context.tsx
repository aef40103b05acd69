/**
 * The window's media host in React's context (runtime: browser): main.tsx provides the one it made,
 * and every tile's stream slot takes its players' feeds from it.
 */
import { createContext, useContext } from 'react';
import type { MediaHost } from './feed-host';

export const MediaHostContext = createContext<MediaHost | null>(null);

export function useMediaHost(): MediaHost {
  const host = useContext(MediaHostContext);
  if (!host) throw new Error('no media host: render the app inside <MediaHostContext.Provider>');
  return host;
}
