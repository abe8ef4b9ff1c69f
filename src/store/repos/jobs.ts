import type { Store, SublevelOf } from "../db.js";
import type { JobHeader, JobItem } from "../../app/jobs/types.js";

/** Batch import jobs (`jobs`) and their items (`job-items`, key `jobId:index`), opened here and nowhere else. */
export interface JobRepos {
  store: Store;
  headers: SublevelOf<JobHeader>;
  items: SublevelOf<JobItem>;
}

export function openJobRepos(store: Store): JobRepos {
  return { store, headers: store.sub<JobHeader>("jobs"), items: store.sub<JobItem>("job-items") };
}

/** An item's key: the job id and the row's index, zero-padded so that keys sort by index. */
export const itemKey = (jobId: string, index: number) => `${jobId}:${String(index).padStart(7, "0")}`;

/** The key range of one job's items; with `after`, of those after that row. */
export const itemsOf = (jobId: string, after?: number) =>
  after === undefined ? { gte: `${jobId}:`, lt: `${jobId};` } : { gt: itemKey(jobId, after), lt: `${jobId};` };
