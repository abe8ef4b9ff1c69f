import type { Metric, Registry } from "prom-client";

/** Latency buckets of `debtrail_http_request_duration_seconds`, in seconds. */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One (method, route): answers by status, and its latencies counted per bucket (the last: above every bound). */
interface RouteCell {
  readonly labels: { method: string; route: string };
  readonly byStatus: Map<number, number>;
  readonly inBucket: number[];
  sum: number;
  count: number;
}

/** One sample of a metric as prom-client's Registry formats it (`registry.metrics()`). */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Record<string, string>;
}

/** What a prom-client Registry reads of a metric: its name, help and type, and its samples at scrape time. */
export interface ScrapedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "histogram";
  readonly aggregator: "sum";
  get(): Promise<{ name: string; help: string; type: string; aggregator: "sum"; values: Sample[] }>;
  reset(): void;
}

/**
 * HTTP answers per route — counted by status, latency in buckets — kept in plain numbers and turned into
 * Prometheus samples only when /metrics is scraped. prom-client's labelled children hash their label set
 * on every `inc` and `observe` (measured: a twentieth of the CPU of a small authenticated read, bench:api);
 * here a request is one map look-up and a few additions. The output is what a prom-client Counter and
 * Histogram with the same names and labels print.
 */
export class RequestStats {
  private readonly routes = new Map<string, RouteCell>();

  constructor(private readonly buckets: readonly number[] = DURATION_BUCKETS) {}

  /** Counts one answer of `method` `route` with `status`, `seconds` after the request came. */
  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route}`;
    let cell = this.routes.get(key);
    if (!cell) {
      cell = { labels: { method, route }, byStatus: new Map(), inBucket: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
      this.routes.set(key, cell);
    }
    cell.byStatus.set(status, (cell.byStatus.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.buckets.length && seconds > this.buckets[i]!) i++;
    cell.inBucket[i]!++;
    cell.sum += seconds;
    cell.count++;
  }

  /** Adds both metrics to `registry` (its Metric type is prom-client's class; the registry reads name, help, type and get()). */
  register(registry: Registry): void {
    registry.registerMetric(this.requestsMetric() as unknown as Metric);
    registry.registerMetric(this.durationMetric() as unknown as Metric);
  }

  /** `debtrail_http_requests_total{method, route, status}`. */
  requestsMetric(): ScrapedMetric {
    return this.metric("debtrail_http_requests_total", "HTTP requests by method, route and status", "counter", () => {
      const values: Sample[] = [];
      for (const cell of this.routes.values()) {
        for (const [status, n] of cell.byStatus) values.push({ value: n, labels: { ...cell.labels, status: String(status) } });
      }
      return values;
    });
  }

  /** `debtrail_http_request_duration_seconds{method, route}`: cumulative buckets, sum and count. */
  durationMetric(): ScrapedMetric {
    const name = "debtrail_http_request_duration_seconds";
    return this.metric(name, "HTTP request latency by route", "histogram", () => {
      const values: Sample[] = [];
      for (const cell of this.routes.values()) {
        let below = 0;
        this.buckets.forEach((le, i) => {
          below += cell.inBucket[i]!;
          values.push({ value: below, labels: { le }, metricName: `${name}_bucket`, sharedLabels: cell.labels });
        });
        values.push({ value: cell.count, labels: { le: "+Inf" }, metricName: `${name}_bucket`, sharedLabels: cell.labels });
        values.push({ value: cell.sum, labels: cell.labels, metricName: `${name}_sum` });
        values.push({ value: cell.count, labels: cell.labels, metricName: `${name}_count` });
      }
      return values;
    });
  }

  private metric(name: string, help: string, type: "counter" | "histogram", values: () => Sample[]): ScrapedMetric {
    return {
      name, help, type, aggregator: "sum",
      get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
      reset: () => this.routes.clear(),
    };
  }
}
