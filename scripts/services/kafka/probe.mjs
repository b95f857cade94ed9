// Answers whether a Kafka broker at host:port serves metadata and has an active controller:
//   node scripts/services/kafka/probe.mjs 127.0.0.1:19092   (exit 0: ready; 1: not ready)
import kafkajs from 'kafkajs';

const broker = process.argv[2] ?? '127.0.0.1:19092';
const { Kafka, logLevel } = kafkajs;
const admin = new Kafka({
  clientId: 'provsync-services-probe',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
}).admin();

try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  await admin.disconnect();
  process.exit(cluster.brokers.length > 0 && cluster.controller !== null ? 0 : 1);
} catch {
  process.exit(1);
}
