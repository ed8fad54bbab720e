import { i18n } from '@lingui/core';
import { compileMessage } from '@lingui/message-utils/compileMessage';
import { createClient, type PlainClientAPI } from 'contentful-management';

let ready = false;

/**
 * The field editors translate their labels with Lingui and ship their English messages uncompiled: compile
 * them at run time, in English.
 */
export function prepareFieldEditors() {
  if (ready) return;
  i18n.setMessagesCompiler(compileMessage);
  i18n.loadAndActivate({ locale: 'en-US', messages: {} });
  ready = true;
}

/** The official management client the field editors use (`sdk.cma`), pointed at this server. */
export function managementClient(token: string, spaceId: string, environmentId: string): PlainClientAPI {
  return createClient(
    { accessToken: token, host: window.location.host, insecure: window.location.protocol === 'http:' },
    { type: 'plain', defaults: { spaceId, environmentId } },
  );
}
