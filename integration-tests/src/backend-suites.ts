// The integration suites that run on both backends: with local JVMs in `npm test`, and
// again on the container cluster (`npm run test:containers`, KAFKA_TESTKIT_BACKEND=
// testcontainers), with the same assertions. The one list both configs read. One case is
// left out on containers, and says why: the producer's rolling restart (its localOnly).
export const backendSuites: readonly string[] = [
  'src/testkit/cluster-basics.test.ts',
  'src/testkit/broker-failure.test.ts',
  'src/testkit/crash-cleanup.test.ts',
  'src/producer/delivery-under-faults.test.ts',
  'src/consumer/crash-and-stop.test.ts',
  'src/serdes/avro-round-trip.test.ts',
  'src/lag-monitor/accuracy.test.ts',
];
