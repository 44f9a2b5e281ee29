/**
 * One request the update server (test/support/node/update-server.ts) got for a scenario, in the
 * order they came, as its `GET /log/<id>` answers it and the browser side reads it.
 */
export interface UpdateLogEntry {
  /** `manifest.json`, or the file's name. */
  path: string;
  method: string;
  /** The status sent; 0 while it waits (a delay), or when its connection was dropped (down). */
  status: number;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  /** When it arrived, epoch ms. */
  at: number;
}
