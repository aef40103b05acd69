/**
 * Loads and validates the Semarang district data shipped in resources/data (runtime: Node).
 * The data is a copy of the project's shared data with its MIT attribution; see resources/data/README.md.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const Kelurahan = z.object({ code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/), name: z.string().min(1) });
export const Kecamatan = z.object({
  code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/),
  name: z.string().min(1),
  centroid: z.tuple([z.number(), z.number()]),
  kelurahan: z.array(Kelurahan).min(1),
});
export const Wilayah = z.object({
  source: z.array(z.object({ repo: z.string(), license: z.string() }).passthrough()).min(1),
  kota: z.object({ code: z.string(), name: z.string() }),
  kecamatan: z.array(Kecamatan).min(1),
});
export type Wilayah = z.infer<typeof Wilayah>;
export type KecamatanData = z.infer<typeof Kecamatan>;

export function loadWilayah(file: string): Wilayah {
  const parsed = Wilayah.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => i.path.join('.') + ': ' + i.message).join('; ')}`);
  return parsed.data;
}
