/**
 * Every UI string, Bahasa Indonesia first and English second (runtime: browser).
 * English must have exactly the keys Indonesian has: the type below makes a missing one a compile error.
 */
export const id = {
  'app.title': 'Pantau',
  'app.subtitle': 'Konsol Dinding Video · Kota Semarang',
  'lang.label': 'Bahasa',
  'lang.id': 'Indonesia',
  'lang.en': 'English',
  'monitor.label': 'Monitor {n}',
  'tile.empty': 'Kosong',
  'tile.state.connecting': 'Menghubungkan…',
  'tile.state.live': 'Langsung',
  'tile.state.stalled': 'Macet',
  'tile.state.reconnecting': 'Menyambung ulang',
  'tile.state.offline': 'Luring',
  'tile.state.error': 'Galat',
  'tile.retryIn': 'coba lagi dalam {s} dtk',
  'tile.replay': 'Putar ulang {s} dtk',
  'tile.replaying': 'PUTAR ULANG',
  'tile.backToLive': 'Kembali ke langsung',
  'status.live': 'langsung',
  'status.problem': 'bermasalah',
  'status.sessions': 'sesi ingest',
  'status.cameras': 'kamera di katalog',
  'status.connected': 'Terhubung ke konsol',
  'status.disconnected': 'Terputus dari konsol',
  'error.version': 'Versi API tidak cocok: {message}',
  'type.rt': 'RT',
  'type.atcs': 'ATCS',
  'type.private': 'Privat',
} as const;

export type MessageKey = keyof typeof id;

export const en: Record<MessageKey, string> = {
  'app.title': 'Pantau',
  'app.subtitle': 'Video Wall Console · Semarang City',
  'lang.label': 'Language',
  'lang.id': 'Indonesia',
  'lang.en': 'English',
  'monitor.label': 'Monitor {n}',
  'tile.empty': 'Empty',
  'tile.state.connecting': 'Connecting…',
  'tile.state.live': 'Live',
  'tile.state.stalled': 'Stalled',
  'tile.state.reconnecting': 'Reconnecting',
  'tile.state.offline': 'Offline',
  'tile.state.error': 'Error',
  'tile.retryIn': 'retrying in {s} s',
  'tile.replay': 'Replay {s} s',
  'tile.replaying': 'REPLAY',
  'tile.backToLive': 'Back to live',
  'status.live': 'live',
  'status.problem': 'with problems',
  'status.sessions': 'ingest sessions',
  'status.cameras': 'cameras in catalog',
  'status.connected': 'Connected to console',
  'status.disconnected': 'Disconnected from console',
  'error.version': 'API version mismatch: {message}',
  'type.rt': 'RT',
  'type.atcs': 'ATCS',
  'type.private': 'Private',
};

export const messages = { id, en } as const;

export function translate(lang: 'id' | 'en', key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = messages[lang][key] ?? messages.id[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
