import { z } from 'zod';

const tagLink = z.object({ sys: z.looseObject({ type: z.literal('Link'), linkType: z.literal('Tag'), id: z.string() }) });
const conceptLink = z.object({ sys: z.looseObject({ type: z.literal('Link'), linkType: z.literal('TaxonomyConcept'), id: z.string() }) });
/** The body of an entry create or update; the asset body extends it. */
export const entryBody = z.looseObject({
  fields: z.record(z.string(), z.unknown()).optional(),
  metadata: z.looseObject({ tags: z.array(tagLink).optional(), concepts: z.array(conceptLink).optional() }).optional(),
});
