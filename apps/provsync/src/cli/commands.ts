/** Every provsync command with its one-line description: the source of `provsync help`. */
export const COMMANDS = {
  ingest: {
    usage: 'ingest <file.ndjson | ->',
    summary: 'record SIS change events from an NDJSON file or standard input in the event store',
  },
  sync: {
    usage: 'sync [--until-idle]',
    summary: 'send the desired state to Skolverket in dependency order; with --until-idle exit 0 once nothing is pending or in flight',
  },
  reconcile: {
    usage: 'reconcile [--apply] [--json]',
    summary: 'read what Skolverket holds and compare it with the desired state; with --apply adopt what is equal and send only the differences and leftover deletes',
  },
  plan: {
    usage: 'plan [--json] [--list]',
    summary: 'what the next sync would send, per type and operation, and with --json or --list each object and why; sends nothing',
  },
  holds: {
    usage: 'holds [--json] | holds approve|reject <id>',
    summary: 'deletes the mass-change guard holds (PROVSYNC_DELETE_THRESHOLD); approve lets a hold\'s deletes go, reject keeps them at Skolverket',
  },
  status: { usage: 'status [--json]', summary: 'show stored events, rejected inputs and per-type desired/acknowledged/pending/in-flight/parked counts' },
  explain: {
    usage: 'explain <sis-id> [--json] [--as-of <time>] [--show-protected]',
    summary: 'say in plain words whether a SIS entity is sent to Skolverket, as what, and if not, why (--as-of: at a past moment); an answer about a person is recorded',
  },
  rejected: { usage: 'rejected [--json]', summary: 'list rejected inputs with where they came from and why they were refused' },
  serve: {
    usage: 'serve',
    summary: 'run the service: POST /sis-events, /health/live and /health/ready, Kafka ingestion (when KAFKA_BROKERS is set) and the sync loop',
  },
  store: { usage: 'store copy --to <url>', summary: 'copy every event of PROVSYNC_STORE into another store, resumably; store verify --against <url> compares them' },
  history: {
    usage: 'history <sis-id> | --civic-no <personnummer> [--json] [--since <time>] [--show-protected]',
    summary: 'every SIS change, desired-state change, call to Skolverket and answer about an entity or a person, oldest first (the access is recorded)',
  },
  replay: { usage: 'replay', summary: 'rebuild the read models (the audit index) from the events beside the ones in use, switching over once caught up' },
  demo: { usage: 'demo', summary: 'generate a sample municipality, ingest it and sync it to the bundled Skolverket simulator, then report' },
  sim: { usage: 'sim [--help]', summary: 'run the bundled Skolverket simulator (authorisation server, open-data and Provisioning APIs)' },
  help: { usage: 'help', summary: 'list the commands' },
} as const;

export type CommandName = keyof typeof COMMANDS;

export function helpText(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  provsync ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    'provsync keeps Skolverket\'s national-test service in step with your school information system.',
    '',
    'Commands:',
    ...lines,
    '',
    'Configuration comes from the environment (PROVSYNC_STORE, SKOLVERKET_*, PROVSYNC_CLIENT_CERT, …); see README.md.',
  ].join('\n');
}
