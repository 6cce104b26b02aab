/**
 * The masking rule (src/standards/masking.ts, docs/adr/0021-irreversible-id-masking.md) applied in one
 * place: every JSON answer passes `maskPersonalFields` before it is serialised, whoever asks and whatever
 * the route, so no route, present or future, can put a full id or a birth date next to a masked id.
 * Exempt only: the separate full-id reads (`*.read-full-id`, audited) and routes that answer about a
 * number the caller sent and that reads no record (`config.echoesCallerInput`, the ID checker).
 */
import type { FastifyInstance } from 'fastify';
import { maskPersonalFields } from '../standards/masking.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer is computed from the caller's own input only (no record read): left unmasked. */
    echoesCallerInput?: boolean;
  }
}

export function installAnswerMasking(app: FastifyInstance) {
  app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    const config = request.routeOptions.config;
    if (config.echoesCallerInput === true || config.officerAction?.endsWith('.read-full-id')) return payload;
    return maskPersonalFields(payload);
  });
}
