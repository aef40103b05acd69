/**
 * Renderer entry (runtime: browser): choose the bridge, mount the app.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getConsoleApi } from './bridge/bridge';
import { WsConsoleClient } from './bridge/ws-client';
import './styles.css';

const api = getConsoleApi();
const onConnection = api instanceof WsConsoleClient ? api.onConnection.bind(api) : undefined;
createRoot(document.getElementById('root')!).render(<App api={api} onConnection={onConnection} />);
