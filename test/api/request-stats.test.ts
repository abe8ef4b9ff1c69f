import { describe, it, expect } from "vitest";
import { Registry, Histogram, Counter } from "prom-client";
import { RequestStats } from "../../src/api/request-stats.js";

/** Requests per route in plain numbers, printed as prom-client's Counter and Histogram print them. */
describe("request-stats", () => {
  describe("RequestStats", () => {
    const answers: Array<[string, string, number, number]> = [
      ["GET", "/v1/me", 200, 0.0004],
      ["GET", "/v1/me", 200, 0.005], // on a bound: counted in it (le is "less than or equal")
      ["GET", "/v1/me", 401, 0.02],
      ["POST", "/v1/claims", 201, 0.3],
      ["POST", "/v1/claims", 201, 12], // above every bound: only in +Inf
      ["GET", "unmatched", 404, 0.001],
    ];

    it("prints the same samples as a prom-client Counter and Histogram fed the same answers", async () => {
      const ours = new Registry();
      const stats = new RequestStats();
      stats.register(ours);
      const theirs = new Registry();
      const counter = new Counter({ name: "debtrail_http_requests_total", help: "HTTP requests by method, route and status", labelNames: ["method", "route", "status"], registers: [theirs] });
      const histogram = new Histogram({
        name: "debtrail_http_request_duration_seconds", help: "HTTP request latency by route", labelNames: ["method", "route"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [theirs],
      });
      for (const [method, route, status, seconds] of answers) {
        stats.record(method, route, status, seconds);
        counter.labels(method, route, String(status)).inc();
        histogram.labels(method, route).observe(seconds);
      }
      const sorted = (text: string) => text.split("\n").filter(Boolean).sort();
      expect(sorted(await ours.metrics())).toEqual(sorted(await theirs.metrics()));
    });

    it("counts per status and per bucket, cumulative as Prometheus reads them", async () => {
      const registry = new Registry();
      const stats = new RequestStats([0.01, 0.1]);
      stats.register(registry);
      for (const [method, route, status, seconds] of answers) stats.record(method, route, status, seconds);
      const text = await registry.metrics();
      expect(text).toContain('debtrail_http_requests_total{method="GET",route="/v1/me",status="200"} 2');
      expect(text).toContain('debtrail_http_requests_total{method="GET",route="/v1/me",status="401"} 1');
      expect(text).toContain('debtrail_http_request_duration_seconds_bucket{le="0.01",method="GET",route="/v1/me"} 2');
      expect(text).toContain('debtrail_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/v1/me"} 3');
      expect(text).toContain('debtrail_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/v1/claims"} 0');
      expect(text).toContain('debtrail_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/v1/claims"} 2');
      expect(text).toContain('debtrail_http_request_duration_seconds_count{method="POST",route="/v1/claims"} 2');
      expect(text).toMatch(/debtrail_http_request_duration_seconds_sum\{method="POST",route="\/v1\/claims"\} 12\.3/);
    });
  });
});
