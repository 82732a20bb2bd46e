import { describe, expect, it } from 'vitest';
import { downloadProgress, kafkaDependencies, renderFetchPom } from './maven-pom.js';
import { versions } from './versions.js';

describe('kafkaDependencies', () => {
  it('pins the broker, the tools and the SLF4J 1.7 logging bridge to one version each', () => {
    const deps = kafkaDependencies();
    expect(deps).toContainEqual({
      groupId: 'org.apache.kafka',
      artifactId: 'kafka_2.13',
      version: versions.kafka,
    });
    expect(deps).toContainEqual({
      groupId: 'org.apache.kafka',
      artifactId: 'kafka-tools',
      version: versions.kafka,
    });
    expect(deps.map((d) => d.artifactId)).toContain('log4j-slf4j-impl');
  });
});

describe('renderFetchPom', () => {
  it('lists each dependency and escapes XML', () => {
    const pom = renderFetchPom([{ groupId: 'a&b', artifactId: 'c<d', version: '1' }]);
    expect(pom).toContain(
      '<groupId>a&amp;b</groupId><artifactId>c&lt;d</artifactId><version>1</version>',
    );
    expect(pom).toContain('<packaging>pom</packaging>');
  });
});

describe('downloadProgress', () => {
  it('reports finished downloads and ignores everything else', () => {
    expect(
      downloadProgress(
        '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.2/kafka_2.13-4.1.2.jar (6.5 MB at 3.1 MB/s)',
      ),
    ).toBe('downloaded kafka_2.13-4.1.2.jar (6.5 MB at 3.1 MB/s)');
    expect(downloadProgress('Downloading from central: https://x/y/z.pom')).toBeUndefined();
    expect(downloadProgress('[INFO] BUILD SUCCESS')).toBeUndefined();
  });
});
