/**
 * Findings: what `lint` and `doctor` report. A finding has a stable code, a severity, the subject it
 * is about (object, container, pod, node), a message, evidence and a remedy with exact commands.
 */
export {
  type Finding,
  type FindingSubject,
  meetsThreshold,
  type Remedy,
  SEVERITY_ORDER,
  type Severity,
  type SourceLocation,
} from './finding.js';
