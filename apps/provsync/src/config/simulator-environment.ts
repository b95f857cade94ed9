import type { RunningSimulator } from '@provsync/skolverket-sim';

type SimulatorConnection = Pick<
  RunningSimulator,
  'authUrl' | 'jwksUrl' | 'openDataUrl' | 'provisioningUrl' | 'ca' | 'clientCert' | 'clientKey' | 'organisationNumber'
>;

/** The settings that point provsync at a running simulator, as the environment variables it reads. */
export function simulatorEnvironment(sim: SimulatorConnection): Record<string, string> {
  return {
    SKOLVERKET_AUTH_URL: sim.authUrl,
    SKOLVERKET_JWKS_URL: sim.jwksUrl,
    SKOLVERKET_OPEN_DATA_URL: sim.openDataUrl,
    SKOLVERKET_PROVISIONING_URL: sim.provisioningUrl,
    PROVSYNC_CLIENT_CERT: sim.clientCert,
    PROVSYNC_CLIENT_KEY: sim.clientKey,
    PROVSYNC_CA: sim.ca,
    PROVSYNC_ORGANISATION_NUMBER: sim.organisationNumber,
  };
}
