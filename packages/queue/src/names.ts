/**
 * The queues of the calibration pipeline. `replay -> judge -> evaluate` run a calibration batch by batch;
 * `shadow` watches drift after a route switch. Names are part of the Redis key space: never rename one
 * while jobs may still sit under the old name.
 */
export const QueueName = {
  replay: "replay",
  judge: "judge",
  evaluate: "evaluate",
  shadow: "shadow",
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const queueNames: readonly QueueName[] = Object.values(QueueName);

export function isQueueName(value: string): value is QueueName {
  return (queueNames as readonly string[]).includes(value);
}
