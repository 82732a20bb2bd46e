/** Which subject a topic's key or value schema is registered under. */
export type SubjectNameStrategy =
  'TopicName' | 'RecordName' | 'TopicRecordName' | ((args: SubjectNameArgs) => string);

export interface SubjectNameArgs {
  readonly topic: string;
  readonly role: 'key' | 'value';
  /** The full name of the record schema (namespace.name), when the schema is a record. */
  readonly recordName: string | undefined;
}

/**
 * The subject, as Confluent's strategies name it: TopicName `<topic>-<key|value>` (the
 * default), RecordName `<namespace.name>`, TopicRecordName `<topic>-<namespace.name>`.
 */
export function subjectName(strategy: SubjectNameStrategy, args: SubjectNameArgs): string {
  if (typeof strategy === 'function') {
    const subject = strategy(args);
    if (typeof subject !== 'string' || subject.length === 0) {
      throw new TypeError(
        `subject name strategy returned ${JSON.stringify(subject)} for "${args.topic}"`,
      );
    }
    return subject;
  }
  if (strategy === 'TopicName') return `${args.topic}-${args.role}`;
  if (args.recordName === undefined) {
    throw new TypeError(
      `${strategy} needs a record schema; the ${args.role} schema of "${args.topic}" is not a record`,
    );
  }
  return strategy === 'RecordName' ? args.recordName : `${args.topic}-${args.recordName}`;
}
