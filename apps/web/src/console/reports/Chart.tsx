import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws: bars, axes, tooltip, legend, and the aria component that
// gives every chart a text description (the tables beside each chart are the full alternative).
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: (number | null)[];
}

export function BarsChart({
  title,
  categories,
  series,
  description,
}: {
  title: string;
  categories: string[];
  series: Series[];
  description: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg', locale: 'EN' });
    chart.setOption({
      aria: { enabled: true, label: { description } },
      color: ['#1a4f8b', '#8a4b00', '#1e6b34', '#6b2d8a'],
      tooltip: { trigger: 'axis' },
      legend: { show: series.length > 1, bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: series.length > 1 ? 56 : 32, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [categories, series, description]);
  return <div className="chart" ref={ref} role="img" aria-label={`${title}. ${description}`} />;
}
