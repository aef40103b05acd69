/**
 * Which role may call which command (runtime: anywhere). An allowlist: a command not listed for a role
 * is refused with 'forbidden', whatever shell the call came through.
 */
import type { CommandName, Role } from '../../preload/contract.js';

export type { Role };

const READ: CommandName[] = [
  'console.hello',
  'console.health',
  'catalog.districts',
  'catalog.search',
  'catalog.get',
  'wall.get',
  'stream.open',
  'settings.get',
  'catalog.tree',
  'alerts.list',
  'session.whoami',
  'session.elevate',
  'session.drop',
  // Anyone while no PIN is set (first start); then the session book asks for a supervisor.
  'session.setPin',
  'presets.list',
  'catalog.places',
  'map.shapes',
  'map.status',
  'map.cameras',
  'stats.summary',
];
const DRIVE: CommandName[] = [
  'stream.replay',
  'wall.setLayout',
  'wall.assign',
  'wall.showCameras',
  'settings.setLanguage',
  'wall.show',
  'wall.page',
  'wall.sequence',
  'wall.touch',
  'wall.enlarge',
  'wall.history',
  'wall.step',
  'wall.route',
  'wall.swapMonitors',
  'wall.identify',
  'alerts.ack',
  'alerts.setConfig',
  'presets.load',
  'wall.showNearest',
  'stats.exportCsv',
];

/** What only a supervisor may do: change presets, read the audit trail, and keep camera credentials. */
export const SUPERVISE: CommandName[] = [
  'presets.save',
  'presets.update',
  'presets.rename',
  'presets.delete',
  'presets.reorder',
  'presets.export',
  'presets.import',
  'audit.list',
  'audit.exportCsv',
  'cameras.credentials',
  'cameras.setCredentials',
  'cameras.clearCredentials',
  'kioskProfiles.list',
  'kioskProfiles.save',
  'kioskProfiles.delete',
  'kioskProfiles.export',
  'desks.list',
  'desks.add',
  'desks.revoke',
  'alerts.setRouting',
  'alerts.setDeskAgency',
];

/**
 * What a kiosk session may call: its own profile and alerts, streams of its own cameras (Console
 * checks the camera), the PIN pad, and (once unlocked, checked by the kiosk service) maintenance.
 */
const KIOSK: CommandName[] = [
  'console.hello',
  'session.whoami',
  'stream.open',
  'kiosk.view',
  'kiosk.alerts',
  'kiosk.unlock',
  'kiosk.relock',
  'kiosk.touch',
  'kiosk.configure',
  'kiosk.replaceProfile',
  'kiosk.exit',
];

/**
 * Commands that change nothing anyone else sees: not written to the audit trail (refusals of them are).
 * `audit.exportCsv` changes nothing either, but the trail leaving the console is itself traced.
 */
export const NOT_AUDITED: ReadonlySet<CommandName> = new Set([
  ...READ.filter((c) => !c.startsWith('session.')),
  'session.whoami',
  'wall.touch',
  'stream.replay',
  'presets.export',
  'audit.list',
  'cameras.credentials',
  'kiosk.view',
  'kiosk.alerts',
  'kiosk.touch',
  'kioskProfiles.list',
  'kioskProfiles.export',
  'desks.list',
]);

const allowed: Record<Role, ReadonlySet<CommandName>> = {
  operator: new Set([...READ, ...DRIVE]),
  supervisor: new Set([...READ, ...DRIVE, ...SUPERVISE]),
  // A kiosk shows its own cameras and nothing else: no wall, catalog, presets, settings or elevation.
  kiosk: new Set<CommandName>(KIOSK),
};

export function mayCall(role: Role, command: CommandName): boolean {
  return allowed[role].has(command);
}
