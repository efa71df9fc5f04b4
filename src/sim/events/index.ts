/**
 * Kubernetes Events for the simulated cluster. Controllers and kubelets report what they do
 * (`Pulling`, `Failed`, `BackOff`, `ScalingReplicaSet`, `FailedScheduling`, …) as core/v1 Events;
 * tools match on `reason` (stable) rather than `message` (varies across versions).
 */
export { type EventInput, EventRecorder, type EventSource } from './recorder.js';
