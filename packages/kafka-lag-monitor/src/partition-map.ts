/** Values by topic and partition, without joining the two into one string key. */
export class PartitionMap<V> {
  private readonly topics = new Map<string, Map<number, V>>();

  get(topic: string, partition: number): V | undefined {
    return this.topics.get(topic)?.get(partition);
  }

  set(topic: string, partition: number, value: V): void {
    let partitions = this.topics.get(topic);
    if (!partitions) this.topics.set(topic, (partitions = new Map<number, V>()));
    partitions.set(partition, value);
  }

  /** Removes one partition's value; a topic left without any is removed too. */
  delete(topic: string, partition: number): void {
    const partitions = this.topics.get(topic);
    if (!partitions) return;
    partitions.delete(partition);
    if (partitions.size === 0) this.topics.delete(topic);
  }

  /** Every entry, topic by topic in insertion order. */
  *entries(): IterableIterator<[topic: string, partition: number, value: V]> {
    for (const [topic, partitions] of this.topics) {
      for (const [partition, value] of partitions) yield [topic, partition, value];
    }
  }

  /** The topics that have at least one partition here. */
  topicNames(): IterableIterator<string> {
    return this.topics.keys();
  }
}
