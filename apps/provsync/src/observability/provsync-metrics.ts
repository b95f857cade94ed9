import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InputProblem, SyncEvent } from '@provsync/domain';
import type { ObjectCounts } from './object-counts.js';
import { rejectionReason } from './rejection-reason.js';

/** What reconcile found different from the desired state (issue 13's terms). */
export const DRIFT_KINDS = ['missing', 'different', 'leftover'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

type RecordOutcomeStatus = 'recorded' | 'stale' | 'duplicate' | 'rejected';

/** Started batches remembered for the turnaround histogram; beyond this the oldest are forgotten. */
const MAX_OPEN_BATCHES = 10_000;
/** The object counts cost a pass over the desired state (~250 ms of CPU at 220,000 objects): scrapes within this long share one. */
const OBJECTS_CACHE_MS = 15_000;
const STATES = { pending: 'pending', inFlight: 'in_flight', parked: 'parked' } as const;

/**
 * Every Prometheus metric provsync exposes at `/metrics`, with intent-named methods to feed them. Labels are
 * closed sets (channels, outcomes, reason codes, route templates, HTTP statuses, object types): never an id,
 * a field name from the input or a message text.
 */
export class ProvsyncMetrics {
  readonly registry = new Registry();
  private readonly sisEvents = new Counter({
    name: 'provsync_sis_events_total',
    help: 'SIS change events taken in, by channel and outcome (recorded, stale, duplicate, rejected)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  private readonly sisRejected = new Counter({
    name: 'provsync_sis_events_rejected_total',
    help: 'SIS change events refused, by channel and the reason code of their first problem',
    labelNames: ['channel', 'reason'],
    registers: [this.registry],
  });
  private readonly storeAppend = new Histogram({
    name: 'provsync_store_append_seconds',
    help: 'Event store appends, by the thread that made them (main; recorder: Kafka batches) and outcome',
    labelNames: ['thread', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly skolverketCalls = new Counter({
    name: 'provsync_skolverket_calls_total',
    help: "HTTP calls to Skolverket (Provisioning, open data, token), each attempt, by route template and status ('no_answer': no HTTP answer)",
    labelNames: ['method', 'endpoint', 'status'],
    registers: [this.registry],
  });
  private readonly jobTurnaround = new Histogram({
    name: 'provsync_skolverket_job_turnaround_seconds',
    help: 'From a batch submission starting to its job results being recorded, by object type and operation',
    labelNames: ['type', 'operation'],
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly kafkaLag = new Gauge({
    name: 'provsync_kafka_consumer_lag',
    help: "Messages in the topic not yet committed by provsync's consumer group, per partition",
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
    collect: () => this.collectKafkaLag(),
  });
  private readonly objects = new Gauge({
    name: 'provsync_objects',
    help: 'Skolverket objects not in sync, by type and state (pending, in_flight, parked); reported by the sync leader',
    labelNames: ['type', 'state'],
    registers: [this.registry],
    collect: () => this.collectObjects(),
  });
  private readonly reconcileDriftFound = new Counter({
    name: 'provsync_reconcile_drift_found_total',
    help: 'Objects reconcile found to differ from the desired state at Skolverket, by type and kind (missing, different, leftover)',
    labelNames: ['type', 'kind'],
    registers: [this.registry],
  });
  private readonly holdsOpenNow = new Gauge({
    name: 'provsync_holds_open',
    help: 'Mass-change holds waiting for an operator to approve or reject them',
    registers: [this.registry],
  });

  private readonly openBatches = new Map<string, { startedMs: number; type: string; operation: string }>();
  private lagSource?: () => Promise<PartitionLag[]>;
  private objectsSource?: () => Promise<ObjectCounts | undefined>;
  private objectsReadAt = -Infinity;
  private counting?: Promise<void>;

  /** Adds Node's process metrics (CPU, memory, event-loop delay, GC) to the registry; a second call adds nothing. */
  withProcessMetrics(): this {
    if (!this.registry.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics({ register: this.registry });
    return this;
  }

  /** A batch of SIS inputs from one channel was recorded: one outcome per input. */
  sisInputsRecorded(channel: string, outcomes: ReadonlyArray<{ status: RecordOutcomeStatus; problems?: readonly InputProblem[] }>): void {
    const counts = { recorded: 0, stale: 0, duplicate: 0, rejected: 0 };
    for (const outcome of outcomes) {
      counts[outcome.status]++;
      if (outcome.status === 'rejected') this.sisRejected.inc({ channel, reason: rejectionReason(outcome.problems ?? []) });
    }
    for (const [outcome, n] of Object.entries(counts)) if (n > 0) this.sisEvents.inc({ channel, outcome }, n);
  }

  storeAppended(thread: 'main' | 'recorder', seconds: number, ok = true): void {
    this.storeAppend.observe({ thread, outcome: ok ? 'ok' : 'failed' }, seconds);
  }

  /** One HTTP exchange with Skolverket; `call` is the client's route template, e.g. `POST /persons/bulk/jobs/{id}`. */
  skolverketAnswered(call: string, status: number | 'no_answer'): void {
    const space = call.indexOf(' ');
    const method = space > 0 ? call.slice(0, space) : 'GET';
    this.skolverketCalls.inc({ method, endpoint: routeTemplate(call.slice(space + 1)), status: String(status) });
  }

  /** Every sync event as it is recorded (SyncOptions.onProgress): times each batch from submission to results. */
  syncEventRecorded(event: SyncEvent): void {
    if (event.type === 'BatchSubmissionStarted') {
      const { batchId, objectType, operation, at } = event.data;
      if (this.openBatches.has(batchId)) return; // a re-send: the turnaround runs from the first attempt
      if (this.openBatches.size >= MAX_OPEN_BATCHES) this.openBatches.delete(this.openBatches.keys().next().value!);
      this.openBatches.set(batchId, { startedMs: Date.parse(at), type: objectType, operation });
    } else if (event.type === 'JobResultsRecorded') {
      const started = this.openBatches.get(event.data.batchId);
      this.openBatches.delete(event.data.batchId);
      const seconds = started && (Date.parse(event.data.at) - started.startedMs) / 1000;
      if (started && seconds !== undefined && seconds >= 0) this.jobTurnaround.observe({ type: started.type, operation: started.operation }, seconds);
    } else if (event.type === 'BatchRefused') {
      this.openBatches.delete(event.data.batchId);
    }
  }

  /** Where the consumer group's lag comes from (serve with Kafka); read at each scrape. */
  watchKafkaLag(source: () => Promise<PartitionLag[]>): void {
    this.lagSource = source;
  }

  /** Where the per-type counts come from: the sync leader's live state; undefined while not leading. */
  watchObjects(source: () => Promise<ObjectCounts | undefined>): void {
    this.objectsSource = source;
  }

  /**
   * For reconcile (issue 13): `n` objects of `type` found `kind` at Skolverket in one run. Call once per type and
   * kind with what the run found (0 is fine).
   */
  reconcileDrift(type: string, kind: DriftKind, n: number): void {
    this.reconcileDriftFound.inc({ type, kind }, n);
  }

  /** For the mass-change guard (issue 13): how many holds are open now. Call whenever that number may change. */
  holdsOpen(n: number): void {
    this.holdsOpenNow.set(n);
  }

  /** The exposition text Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collectKafkaLag(): Promise<void> {
    if (!this.lagSource) return;
    // Kafka unreachable: the last values stay, and the rest of the scrape still answers.
    const lags = await this.lagSource().catch(() => []);
    for (const { topic, partition, lag } of lags) this.kafkaLag.set({ topic, partition: String(partition) }, lag);
  }

  private collectObjects(): Promise<void> | undefined {
    const source = this.objectsSource;
    if (!source || Date.now() - this.objectsReadAt < OBJECTS_CACHE_MS) return this.counting;
    this.objectsReadAt = Date.now();
    this.counting = source().then(
      (counts) => {
        this.objects.reset();
        for (const [type, byState] of Object.entries(counts ?? {})) {
          for (const [field, state] of Object.entries(STATES)) this.objects.set({ type, state }, byState[field as keyof typeof STATES]);
        }
      },
      () => undefined, // the last counts stay
    );
    return this.counting;
  }
}

/** A route template as a label: a segment that is neither a word nor a `{placeholder}` is never let through. */
function routeTemplate(path: string): string {
  return path
    .split('?')[0]!
    .split('/')
    .map((segment) => (segment === '' || /^(\{[A-Za-z]+\}|[A-Za-z][A-Za-z-]*)$/.test(segment) ? segment : '{value}'))
    .join('/');
}
