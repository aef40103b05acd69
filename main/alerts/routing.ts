/**
 * Routing alerts to agencies (runtime: anywhere, pure): the first rule whose alert types and
 * districts match decides. The default sends crime and crowds to Polrestabes, trader counts to Dinas
 * Perdagangan, illegal parking to Dishub, masks to Satpol PP and incidents to BPBD, city-wide.
 */
import type { AgencyId, AlertType, RoutingConfig, RoutingRule } from '../../preload/contract.js';

export const DEFAULT_ROUTING: RoutingConfig = {
  rules: [
    { types: ['crime', 'crowd'], districts: [], agency: 'polrestabes' },
    { types: ['trader_count'], districts: [], agency: 'disperdag' },
    { types: ['illegal_parking'], districts: [], agency: 'dishub' },
    { types: ['mask'], districts: [], agency: 'satpolpp' },
    { types: ['incident'], districts: [], agency: 'bpbd' },
  ],
  escalateMinutes: 10,
};

export function ruleMatches(rule: RoutingRule, type: AlertType, kecamatanCode: string, kelurahanCode: string): boolean {
  if (rule.types.length && !rule.types.includes(type)) return false;
  if (!rule.districts.length) return true;
  return rule.districts.some((d) => d === `kec:${kecamatanCode}` || d === `kel:${kelurahanCode}`);
}

export function routeAlert(config: RoutingConfig, type: AlertType, kecamatanCode: string, kelurahanCode: string): AgencyId | null {
  return config.rules.find((r) => ruleMatches(r, type, kecamatanCode, kelurahanCode))?.agency ?? null;
}
