/** webinfer's version, as package.json says (a unit test keeps them equal); telemetry reports it. */
export const version = '0.1.0';
