/**
 * Renderer entry (runtime: browser): choose the bridge, mount the app.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { KioskView } from './kiosk/KioskView';
import { getConsoleApi } from './bridge/bridge';
import { WsConsoleClient } from './bridge/ws-client';
import { browserCapabilities, MediaHost } from './players/feed-host';
import { MediaHostContext } from './players/media-context';
import './styles.css';

const api = getConsoleApi();
const onConnection = api instanceof WsConsoleClient ? api.onConnection.bind(api) : undefined;
// One media host for this window: its media worker, its feeds and what they share.
const media = new MediaHost(browserCapabilities());
const root = createRoot(document.getElementById('root')!);
const mount = (view: React.ReactNode) => root.render(<MediaHostContext.Provider value={media}>{view}</MediaHostContext.Provider>);

/**
 * Main decides what this window is: a kiosk session gets the kiosk, whatever the address says; any
 * other, the console. Until main answers, a black screen (a kiosk must never flash the console).
 */
function choose(): void {
  api.call('session.whoami', {}).then(
    (me) => mount(me.role === 'kiosk' ? <KioskView api={api} onConnection={onConnection} /> : <App api={api} onConnection={onConnection} />),
    () => {
      mount(
        <div className="flex h-screen items-center justify-center bg-black text-3xl font-bold text-ink-dim" data-testid="connecting">
          Menghubungkan ke Pantau… / Connecting to Pantau…
        </div>,
      );
      window.setTimeout(choose, 2_000);
    },
  );
}
choose();
