/**
 * Crash points for the crash tests: with AGRI_OMS_FAULT=<name> in its environment, the process kills itself with
 * SIGKILL at the point of that name, as a power cut or an OOM kill would. Never set in production.
 */
export function faultPoint(name: string): void {
  if (process.env.AGRI_OMS_FAULT === name) process.kill(process.pid, 'SIGKILL');
}
