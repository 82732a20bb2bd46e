// The tests' own view of the Docker engine, through the client testcontainers uses: what
// the testkit left there is checked against the engine, not against the testkit's word.
import { getContainerRuntimeClient } from 'testcontainers';

/** The engine's API client (dockerode). */
export async function engineApi() {
  return (await getContainerRuntimeClient()).container.dockerode;
}

/** Containers (running or not) and networks carrying `label` (`key=value` or `key`). */
export async function labelled(label: string) {
  const api = await engineApi();
  const filters = { label: [label] };
  const [containers, networks] = await Promise.all([
    api.listContainers({ all: true, filters }),
    api.listNetworks({ filters }),
  ]);
  return { containers, networks };
}
