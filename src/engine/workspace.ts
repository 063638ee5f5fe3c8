import type { IntercomClient } from '../http/client.js';
import type { JsonObject } from '../protocol/types.js';
import type { CustomAttributeModel } from './definition.js';
import { attributeFromIntercom, type CustomAttribute } from '../transform/custom-attributes.js';
import { recordsAt } from '../util/records-path.js';
import { assertTimeZone } from '../util/zoned-day.js';

/** What GET /me says about the workspace. */
export interface Workspace {
  name: string;
  idCode: string;
  region: string;
  /** IANA zone; contact search compares dates by calendar day in it. */
  timeZone: string;
  /** False when Intercom named no zone this machine knows, so day queries need a day of margin. */
  timeZoneKnown: boolean;
}

export async function fetchWorkspace(client: IntercomClient): Promise<Workspace> {
  const me = (await client.get('/me')) as JsonObject;
  const app = (me.app ?? {}) as JsonObject;
  let timeZone = typeof app.timezone === 'string' && app.timezone !== '' ? app.timezone : 'UTC';
  let timeZoneKnown = typeof app.timezone === 'string' && app.timezone !== '';
  try {
    assertTimeZone(timeZone);
  } catch {
    timeZone = 'UTC';
    timeZoneKnown = false;
  }
  return {
    name: typeof app.name === 'string' ? app.name : 'unknown',
    idCode: typeof app.id_code === 'string' ? app.id_code : 'unknown',
    region: typeof app.region === 'string' ? app.region : 'unknown',
    timeZone,
    timeZoneKnown,
  };
}

/** The custom attributes of a model, from GET /data_attributes or (conversations, API 2.16) GET /conversations/attributes. */
export async function fetchCustomAttributes(client: IntercomClient, model: CustomAttributeModel): Promise<CustomAttribute[]> {
  const body =
    model === 'conversation'
      ? await client.get('/conversations/attributes', { query: { include_archived: true } })
      : await client.get('/data_attributes', { query: { model, include_archived: true } });
  return recordsAt(body, '$.data[*]')
    .filter((item) => model === 'conversation' || item.custom === true)
    .map(attributeFromIntercom)
    .filter((a): a is CustomAttribute => a !== null);
}
