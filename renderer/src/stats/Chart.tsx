/**
 * One uPlot chart (runtime: browser): made when its data arrives, sized to its box, destroyed with
 * the component. uPlot draws on a canvas (fast for 90 days of hours) and needs no inline <style>.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Chart({ options, data, testId, height = 240 }: { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData; testId: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);
  return <div ref={box} className="w-full" data-chart={testId} data-points={data[0]?.length ?? 0} />;
}

/** Axis and grid colours for the dark wall theme. */
export const AXIS: uPlot.Axis = { stroke: '#cbd5e1', grid: { stroke: '#1e293b' }, ticks: { stroke: '#334155' } };

/** Bars for a series (uPlot's bar path builder). */
export const bars = (): uPlot.Series.PathBuilder => uPlot.paths.bars!({ size: [0.7, 60] });
