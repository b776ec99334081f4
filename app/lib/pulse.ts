/** The service pulse's periods, shared by the server and the page (client code must not import values from *.server.ts). */
export const PULSE_PERIODS = [7, 30, 90] as const;
export type PulsePeriod = (typeof PULSE_PERIODS)[number];
