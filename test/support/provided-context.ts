/** What the Vitest global setup provides to tests (`inject(...)`). Type-only. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the misbehaving model server (test/support/node/fault-server.ts). */
    faultServer: string;
    /** Base URL of the telemetry endpoint that records what arrives (test/support/node/beacon-sink.ts). */
    beaconSink: string;
    /** Base URL of the model server whose manifest changes during a test (test/support/node/update-server.ts). */
    updateServer: string;
    /** An input of the large synthetic model and its output by a float64 reference. */
    largeModel: { x: number[]; y: number[] };
  }
}

declare module 'vitest/browser' {
  /** test/support/node/browser-commands.ts */
  interface BrowserCommands {
    setOffline(offline: boolean): Promise<void>;
  }
}

export {};
