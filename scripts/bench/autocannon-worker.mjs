// One autocannon run in a child process, so that the load generator (and its parsing of the answers)
// does not share the event loop of the server it measures. Used by scripts/bench/api.ts: the options
// come as JSON in argv[2], the result goes back over the IPC channel. (Not a worker thread: autocannon
// answers a worker thread with raw histograms meant for its own multi-worker mode.)
import autocannon from "autocannon";

const { url, headers = {}, duration, connections, writes } = JSON.parse(process.argv[2]);

let n = 0;
/** The write routes' bodies: letters recorded as they happen (after the sale, not backdated). */
function record(claimId, label) {
  return {
    claimId, kind: "letter", channel: "post", direction: "outbound", actor: "bench",
    occurredAt: new Date().toISOString(),
    counterparty: { phone: "13800138000", relation: "debtor" }, content: `催收函 ${label}`,
  };
}
const requests = writes
  ? [{
      method: "POST",
      setupRequest: (req) => {
        n++;
        const body = writes.batch
          ? { records: Array.from({ length: writes.batch }, (_, i) => record(writes.claimId, `B${n}-${i}`)) }
          : record(writes.claimId, String(n));
        return { ...req, body: JSON.stringify(body) };
      },
    }]
  : undefined;

autocannon(
  { url, duration, connections, headers: writes ? { ...headers, "content-type": "application/json" } : headers, ...(writes ? { method: "POST", requests } : {}) },
  (err, r) => {
    if (err) throw err;
    process.send({
      requests: { average: r.requests.average }, latency: { p50: r.latency.p50, p99: r.latency.p99 }, non2xx: r.non2xx, errors: r.errors,
    }, () => process.exit(0));
  },
);
