import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { isKafkaCached } from './artifact-cache.js';
import type { EnvironmentFacts } from './backend-choice.js';
import { detectJava, detectMaven } from './java-runtime.js';

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when a Docker engine is reachable (DOCKER_HOST, or the default socket answers). */
export async function detectDocker(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.DOCKER_HOST) return true;
  const socket = '/var/run/docker.sock';
  return existsSync(socket) && (await socketAnswers(socket));
}

/** Gathers what the backend choice depends on. */
export async function probeEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): Promise<EnvironmentFacts> {
  const [javaVersion, mavenFound, dockerFound] = await Promise.all([
    detectJava(env),
    detectMaven(),
    detectDocker(env),
  ]);
  return {
    requested: env.KAFKA_TESTKIT_BACKEND,
    bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS,
    javaVersion,
    mavenFound,
    kafkaCached: isKafkaCached(),
    dockerFound,
  };
}
