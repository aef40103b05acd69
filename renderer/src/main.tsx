/**
 * Renderer entry (runtime: browser): choose the bridge, mount the app.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getConsoleApi } from './bridge/bridge';
import { WsConsoleClient } from './bridge/ws-client';
import { browserCapabilities, MediaHost } from './players/feed-host';
import { MediaHostContext } from './players/media-context';
import './styles.css';

const api = getConsoleApi();
const onConnection = api instanceof WsConsoleClient ? api.onConnection.bind(api) : undefined;
// One media host for this window: its media worker, its feeds and what they share.
const media = new MediaHost(browserCapabilities());
createRoot(document.getElementById('root')!).render(
  <MediaHostContext.Provider value={media}>
    <App api={api} onConnection={onConnection} />
  </MediaHostContext.Provider>,
);
