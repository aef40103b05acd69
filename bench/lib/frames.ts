/** Frames counted per tile, as a share of what the cameras sent: worst tile and average, in whole %. */
export function frameShare(counts: number[], expected: number): { min: number; avg: number } {
  const ratios = counts.map((c) => c / expected);
  return { min: Math.round(Math.min(...ratios) * 100), avg: Math.round((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 100) };
}
