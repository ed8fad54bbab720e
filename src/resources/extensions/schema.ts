import { z } from 'zod';

/** Seed 000, "UI Extensions": the field types an extension may declare. */
const fieldType = z.union([
  z.object({ type: z.enum(['Symbol', 'Text', 'RichText', 'Integer', 'Number', 'Date', 'Boolean', 'Location', 'Object']) }).strict(),
  z.object({ type: z.literal('Link'), linkType: z.enum(['Asset', 'Entry']) }).strict(),
  z.object({ type: z.literal('Array'), items: z.object({ type: z.literal('Symbol') }).strict() }).strict(),
  z
    .object({ type: z.literal('Array'), items: z.object({ type: z.literal('Link'), linkType: z.enum(['Asset', 'Entry']) }).strict() })
    .strict(),
]);

export const SRCDOC_MAX_BYTES = 200 * 1024;
export const MAX_PARAMETERS = 8;

const enumOption = z.union([z.string(), z.record(z.string(), z.string())]);

const parameterDefinition = z
  .object({
    id: z.string().regex(/^[a-zA-Z0-9_]+$/, 'can contain only letters, numbers and underscores'),
    name: z.string().min(1),
    description: z.string().optional(),
    type: z.enum(['Symbol', 'Enum', 'Number', 'Boolean']),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(enumOption).min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.type === 'Enum' && !p.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enum parameters need options' });
    if (p.type !== 'Enum' && p.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only Enum parameters have options' });
    if (p.default !== undefined) {
      const ok =
        (p.type === 'Symbol' && typeof p.default === 'string') ||
        (p.type === 'Number' && typeof p.default === 'number') ||
        (p.type === 'Boolean' && typeof p.default === 'boolean') ||
        (p.type === 'Enum' && typeof p.default === 'string' && enumValues(p.options ?? []).includes(p.default));
      if (!ok)
        ctx.addIssue({
          code: 'custom',
          path: ['default'],
          message: `default must match the ${p.type} type${p.type === 'Enum' ? ' and be one of the options' : ''}`,
        });
    }
  });

export function enumValues(options: z.infer<typeof enumOption>[]): string[] {
  return options.flatMap((o) => (typeof o === 'string' ? [o] : Object.keys(o)));
}

const uniqueIds = (list: { id: string }[]) => new Set(list.map((p) => p.id)).size === list.length;

export const extensionDefinition = z
  .object({
    name: z.string().trim().min(1),
    fieldTypes: z.array(fieldType).optional(),
    src: z.string().url().optional(),
    srcdoc: z.string().optional(),
    sidebar: z.boolean().optional(),
    parameters: z
      .object({
        installation: z.array(parameterDefinition).max(MAX_PARAMETERS).refine(uniqueIds, 'parameter ids must be unique').optional(),
        instance: z.array(parameterDefinition).max(MAX_PARAMETERS).refine(uniqueIds, 'parameter ids must be unique').optional(),
      })
      .strict()
      .optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.src === undefined) === (e.srcdoc === undefined))
      ctx.addIssue({ code: 'custom', path: ['src'], message: 'Exactly one of src and srcdoc is required' });
    if (e.srcdoc !== undefined && Buffer.byteLength(e.srcdoc) > SRCDOC_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['srcdoc'], message: `srcdoc is limited to ${SRCDOC_MAX_BYTES} bytes` });
    }
  });

export const extensionBody = z.looseObject({
  extension: extensionDefinition,
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type ExtensionBody = z.infer<typeof extensionBody>;

/** Installation parameter values must be defined, typed as defined, and present when required. */
export function installationParameterErrors(body: ExtensionBody) {
  const definitions = body.extension.parameters?.installation ?? [];
  const values = body.parameters ?? {};
  const errors: { name: string; path: (string | number)[]; details: string }[] = [];
  for (const [id, value] of Object.entries(values)) {
    const definition = definitions.find((d) => d.id === id);
    if (!definition) {
      errors.push({ name: 'unexpected', path: ['parameters', id], details: `No installation parameter "${id}" is defined` });
      continue;
    }
    const ok =
      (definition.type === 'Symbol' && typeof value === 'string') ||
      (definition.type === 'Number' && typeof value === 'number') ||
      (definition.type === 'Boolean' && typeof value === 'boolean') ||
      (definition.type === 'Enum' && typeof value === 'string' && enumValues(definition.options ?? []).includes(value));
    if (!ok) errors.push({ name: 'type', path: ['parameters', id], details: `The value does not match the ${definition.type} parameter` });
  }
  for (const definition of definitions) {
    if (definition.required && definition.default === undefined && values[definition.id] === undefined) {
      errors.push({
        name: 'required',
        path: ['parameters', definition.id],
        details: `The installation parameter "${definition.id}" is required`,
      });
    }
  }
  return errors;
}
