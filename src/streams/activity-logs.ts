import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

/** Admin activity: written once, never changed, read in windows of activity_logs_time_step days. */
export const activityLogs = defineStream({
  name: 'activity_logs',
  source: {
    kind: 'time-windows',
    name: 'activity_logs',
    path: '/admins/activity_logs',
    recordsPath: '$.activity_logs[*]',
    cursorField: 'created_at',
    afterParam: 'created_at_after',
    beforeParam: 'created_at_before',
  },
  primaryKey: ['id'],
  history: 'events',
  schema: intercomSchemas.activity_log,
});
