/**
 * Permission strings the web app checks. Reads gate menu items and routes; the
 * `*:manage` ones only hide write buttons — the server enforces all of them.
 */
export const PERMISSIONS = {
  usersRead: 'users:read',
  usersManage: 'users:manage',
  settingsRead: 'settings:read',
  settingsManage: 'settings:manage',
  auditRead: 'audit:read',
  jobsRead: 'jobs:read',
  calendarManage: 'calendar:manage',
} as const;

export type KnownPermission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];
