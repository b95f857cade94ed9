import type { LogEntry } from '@provsync/skolverket-api';

/**
 * One finding, before it is tied to a resource and a time. `id` is the message code: the codes the official
 * OpenAPI file shows (2010, 2011, 2025, 3047, 3085, 4001, 5002, 5004, 5020, 5021, 5022) keep their meaning;
 * the others are the simulator's own and are listed in its README.
 */
export interface Problem {
  id: string;
  statusCode: number;
  messageType: string;
  message: string;
  severityLevel: 'Error' | 'Warning';
  attributeName?: string;
  attributeValue?: string;
  parameterName?: string;
  parameterValue?: string;
}

export type ResourceType = NonNullable<LogEntry['resourceType']>;

export function toLogEntry(problem: Problem, time: Date, resource?: { type: ResourceType; id?: string }): LogEntry {
  return {
    ...problem,
    ...(resource ? { resourceType: resource.type, ...(resource.id ? { resourceId: resource.id } : {}) } : {}),
    timeOfOccurance: time.toISOString(),
  };
}

const error = (id: string, statusCode: number, messageType: string, message: string, extra: Partial<Problem> = {}): Problem => ({
  id,
  statusCode,
  messageType,
  message,
  severityLevel: 'Error',
  ...extra,
});

/** A value shown back in a LogEntry: strings as they are, anything else as JSON, cut to a readable length. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Findings about one object in a bulk job. */
export const objectProblems = {
  missing: (attributeName: string) =>
    error('3001', 400, 'Saknat värde', `Obligatoriskt attribut <${attributeName}> saknas.`, { attributeName }),
  invalidFormat: (attributeName: string, value: unknown, expected: string) =>
    error('3002', 400, 'Ogiltigt format', `Ogiltigt format på <${attributeName}>. ${expected}`, {
      attributeName,
      attributeValue: shown(value),
    }),
  invalidValue: (attributeName: string, value: unknown, allowed: readonly (string | number)[]) =>
    error('3003', 400, 'Ogiltigt värde', `Ogiltigt värde på <${attributeName}>. Tillåtna värden: ${allowed.join(', ')}.`, {
      attributeName,
      attributeValue: shown(value),
    }),
  notAccepted: (attributeName: string, value: unknown, reason: string) =>
    error('3004', 400, 'Ogiltigt värde', `Värdet på <${attributeName}> tas inte emot av provtjänsten: ${reason}.`, {
      attributeName,
      attributeValue: shown(value),
    }),
  /** The civic number is never shown back: it is personal data. */
  civicNo: (attributeName: string, reason: string) =>
    error('3010', 400, 'Ogiltigt värde', `Ogiltigt personnummer, samordningsnummer eller tillfälligt personnummer i <${attributeName}>: ${reason}.`, {
      attributeName,
    }),
  eppnCount: (attributeName: string, count: number) =>
    error('3020', 400, 'Ogiltigt värde', `<${attributeName}> ska innehålla exakt ett värde, inte ${count}.`, { attributeName }),
  eppnTaken: (attributeName: string, value: string) =>
    error('3022', 409, 'Konflikt', `Federationsanvändarnamnet i <${attributeName}> används redan av en annan person. En persons elev- och personalroll ska ha olika eduPersonPrincipalName.`, {
      attributeName,
      attributeValue: value,
    }),
  eppnNameParts: (attributeName: string, value: string): Problem => ({
    id: '3047',
    statusCode: 400,
    messageType: 'Bristfälligt värde',
    message:
      'Bristfälligt värde på Federationsanvändarnamn, värdet innehåller de tre första bokstäverna i efternamnet, eller de två första bokstäverna i efternamnet och de två första bokstäverna i förnamnet. Uppdatera värdet så att det följer Skolverkets riktlinjer för EPPN.',
    severityLevel: 'Warning',
    attributeName,
    attributeValue: value,
  }),
  staffEmailMissing: (attributeName: string) =>
    error('3032', 400, 'Saknat värde', `E-postadress av typen "Skola personal" är obligatorisk för skolpersonal (<${attributeName}>).`, { attributeName }),
  schoolUnitUnknown: (attributeName: string, value: string) =>
    error('3040', 400, 'Ogiltigt värde', `Skolenheten i <${attributeName}> finns inte i provtjänsten. Använd skolenhetens id från open-data API.`, {
      attributeName,
      attributeValue: value,
    }),
  schoolUnitNotOwn: (attributeName: string, value: string) =>
    error('3041', 403, 'Behörighet saknas', `Skolenheten i <${attributeName}> organiseras inte av huvudmannen.`, { attributeName, attributeValue: value }),
  schoolUnitExpired: (attributeName: string, value: string) =>
    error('3042', 400, 'Ogiltigt värde', `Skolenheten i <${attributeName}> har upphört.`, { attributeName, attributeValue: value }),
  schoolTypeNotAtUnit: (attributeName: string, value: string) =>
    error('3043', 400, 'Ogiltigt värde', `Skolenheten har inte utbildningsformen i <${attributeName}>.`, { attributeName, attributeValue: value }),
  schoolYearNotAtUnit: (attributeName: string, value: number) =>
    error('3044', 400, 'Ogiltigt värde', `Skolenheten har inte årskursen i <${attributeName}> för utbildningsformen.`, {
      attributeName,
      attributeValue: String(value),
    }),
  programmeUnknown: (attributeName: string, value: string) =>
    error('3045', 400, 'Ogiltigt värde', `Studievägskoden i <${attributeName}> finns inte i provtjänsten.`, { attributeName, attributeValue: value }),
  programmeNotActive: (attributeName: string, value: string, status: string) =>
    error('3046', 400, 'Ogiltigt värde', `Studievägen i <${attributeName}> kan inte provisioneras (status ${status}); endast aktiva studievägar vars validFrom har passerats tas emot.`, {
      attributeName,
      attributeValue: value,
    }),
  personMissing: (attributeName: string, value: string) =>
    error('3060', 400, 'Saknad referens', `Personen som <${attributeName}> refererar till finns inte i provtjänsten. Skicka personen först.`, {
      attributeName,
      attributeValue: value,
    }),
  memberMissing: (attributeName: string, value: string): Problem => ({
    id: '3071',
    statusCode: 400,
    messageType: 'Saknad referens',
    message: `Gruppmedlemmen i <${attributeName}> finns inte i provtjänsten och har inte lagts till i gruppen. Skicka personen och sedan gruppen igen.`,
    severityLevel: 'Warning',
    attributeName,
    attributeValue: value,
  }),
  groupCount: (attributeName: string, count: number) =>
    error('3081', 400, 'Ogiltigt värde', `En aktivitet ska kopplas till exakt en grupp i <${attributeName}>, inte ${count}.`, { attributeName }),
  groupMissing: (attributeName: string, value: string) =>
    error('3082', 400, 'Saknad referens', `Gruppen som <${attributeName}> refererar till finns inte i provtjänsten. Skicka gruppen först.`, {
      attributeName,
      attributeValue: value,
    }),
  dutyMissing: (attributeName: string, value: string) =>
    error('3083', 400, 'Saknad referens', `Tjänstgöringen som <${attributeName}> refererar till finns inte i provtjänsten. Skicka tjänstgöringen först.`, {
      attributeName,
      attributeValue: value,
    }),
  testActivityUnknown: (attributeName: string, value: string) =>
    error('3084', 400, 'Ogiltigt värde', `<${attributeName}> är ingen provaktivitet i provtjänsten. Använd provaktivitetens id från open-data API.`, {
      attributeName,
      attributeValue: value,
    }),
  unknownAttribute: (attributeName: string): Problem => ({
    id: '3090',
    statusCode: 400,
    messageType: 'Okänt attribut',
    message: `Attributet <${attributeName}> ingår inte i Provisioning API och har inte sparats.`,
    severityLevel: 'Warning',
    attributeName,
  }),
  alreadyExists: () =>
    error('4090', 409, 'Konflikt', 'Resursen finns redan. Använd updateIfExists=true eller PUT för att uppdatera den.', { attributeName: 'id' }),
  ownedByOther: () => error('4092', 409, 'Konflikt', 'Id:t används redan av en annan huvudman.', { attributeName: 'id' }),
  notFound: () => error('4040', 404, 'Ogiltigt värde', 'Resursen finns inte i provtjänsten.', { attributeName: 'id' }),
  stillReferenced: (referrers: string) =>
    error('4091', 409, 'Konflikt', `Resursen kan inte raderas eftersom den fortfarande refereras av ${referrers}. Radera eller uppdatera dessa först.`),
  temporary: () => error('5023', 503, 'Tillfälligt fel', 'Uppgiften kunde inte behandlas på grund av ett tillfälligt fel. Försök igen senare.'),
};

/** Findings about a whole request, answered at once with an HTTP error status. */
export const requestProblems = {
  invalidBody: (parameterName: string, reason: string) =>
    error('2000', 400, 'Ogiltigt format', `Ogiltigt format på ´body´ parameter <${parameterName}>: ${reason}`, { parameterName }),
  invalidLookupIds: (value: unknown) =>
    error('2010', 400, 'Ogiltigt format', 'Ogiltigt format på ´body´ parameter <ids>. Format ska vara UUID enligt RFC4122. Se https://www.ietf.org/rfc/rfc4122.txt.', {
      parameterName: 'ids',
      parameterValue: shown(value),
    }),
  invalidPathId: (value: string) =>
    error('2011', 400, 'Ogiltigt format', 'Ogiltigt format på ´path´ parameter <id>. Format ska vara UUID enligt RFC4122. Se https://www.ietf.org/rfc/rfc4122.txt.', {
      parameterName: 'id',
      parameterValue: shown(value),
    }),
  invalidBoolean: (parameterName: string, value: string) =>
    error(parameterName === 'updateIfExists' ? '2025' : '2026', 400, 'Ogiltigt format', `Ogiltigt format på ´query´ parameter <${parameterName}>. Format ska vara boolean (true/false).`, {
      parameterName,
      parameterValue: shown(value),
    }),
  invalidLimit: (value: string) =>
    error('3085', 400, 'Ogiltigt värde', 'Värdet för <limit> måste vara ett tal mellan 1 och 100 (inklusive).', { parameterName: 'limit', parameterValue: shown(value) }),
  invalidPageToken: (value: string) =>
    error('3086', 400, 'Ogiltigt värde', 'Värdet för <pageToken> är inte ett pageToken som servern har givit.', { parameterName: 'pageToken', parameterValue: shown(value) }),
  notFound: (what: string, value: string) =>
    error('4001', 404, 'Ogiltigt värde', `${what} identifierats av angivet värden i \`path\` parameter <id> hittades inte.`, { parameterName: 'id', parameterValue: value }),
  unknownPath: (path: string) => error('4004', 404, 'Ogiltigt värde', `Sökvägen ${path} finns inte i Provisioning API.`),
  methodNotAllowed: (method: string, path: string) => error('4005', 405, 'Ogiltigt värde', `Metoden ${method} stöds inte för ${path}.`),
  invalidToken: (reason: string) => error('5002', 403, 'Behörighet saknas', `Ogiltigt JWT bearer token: ${reason}.`),
  unknownError: () => error('5004', 500, 'Okänt fel', 'Ett okänt fel inträffade.'),
  payloadTooLarge: () => error('5020', 413, 'Teknisk begränsning', 'Provisionerade uppgifter överstiger tillåten datamängd.'),
  tooManyRequests: () => error('5021', 429, 'Teknisk begränsning', 'Den högsta tillåtna antal förfrågningar har uppnåtts för den specifika URL:en.'),
  unavailable: () => error('5022', 503, 'Teknisk begränsning', 'Tjänsten är inte tillgänglig. Försök igen senare.'),
};
