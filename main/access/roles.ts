/**
 * Which role may call which command (runtime: anywhere). An allowlist: a command not listed for a role
 * is refused with 'forbidden', whatever shell the call came through.
 */
import type { CommandName } from '../../preload/contract.js';

export type Role = 'operator' | 'supervisor' | 'kiosk';

const READ: CommandName[] = ['console.hello', 'console.health', 'catalog.districts', 'catalog.search', 'catalog.get', 'wall.get', 'stream.open', 'settings.get', 'catalog.tree', 'alerts.list'];
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
];

const allowed: Record<Role, ReadonlySet<CommandName>> = {
  operator: new Set([...READ, ...DRIVE]),
  supervisor: new Set([...READ, ...DRIVE]),
  // A kiosk shows its wall and nothing else: it can't rearrange it or browse the catalog.
  kiosk: new Set<CommandName>(['console.hello', 'wall.get', 'stream.open', 'settings.get']),
};

export function mayCall(role: Role, command: CommandName): boolean {
  return allowed[role].has(command);
}
