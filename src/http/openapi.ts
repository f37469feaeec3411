import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types';
import YAML from 'yaml';

/** Location of the single contract; found from both src/ (tsx, Jest) and dist/src (compiled). */
export const OPENAPI_PATH = [
  path.resolve(__dirname, '../../openapi.yaml'),
  path.resolve(__dirname, '../../../openapi.yaml'),
].find((p) => fs.existsSync(p)) as string;

let cached: OpenAPIV3.DocumentV3 | undefined;

/** The parsed contract (read once per process). */
export function loadOpenApiDocument(): OpenAPIV3.DocumentV3 {
  cached ??= YAML.parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as OpenAPIV3.DocumentV3;
  return cached;
}

/**
 * Request validation everywhere, response validation outside production. Full format checks
 * (the default accepts 2025-02-31); unknown query keys are ignored as the seed did.
 */
export function openApiValidator(validateResponses: boolean) {
  keepCompiledRoutes();
  return OpenApiValidator.middleware({
    apiSpec: structuredClone(loadOpenApiDocument()),
    // Bodies are not coerced: a JSON null or number is never turned into a string (path and query are).
    validateRequests: { allowUnknownQueryParameters: true, coerceTypes: false, allErrors: true },
    validateResponses,
    validateSecurity: false,
    ignoreUndocumented: false,
    ajvFormats: { mode: 'full' },
    // Multipart bodies are parsed before, with limits and clear errors (middleware/multipart-form.ts).
    fileUploader: false,
  });
}

type PathToRegexp = (path: unknown, options?: unknown) => unknown;

/**
 * express-openapi-validator finds a request's operation by compiling the documented paths with
 * path-to-regexp again on every request, one after the other until one matches (about 40 compilations for
 * /users/me, near the end of the contract): a measurable share of a cheap request (bench/api.ts). The paths
 * and options are fixed, so each compiled pattern (no global flag, no state) is kept and reused.
 */
function keepCompiledRoutes(): void {
  const fromValidator = createRequire(require.resolve('express-openapi-validator'));
  const ptr = fromValidator('path-to-regexp') as { pathToRegexp: PathToRegexp & { cached?: true } };
  const compile = ptr.pathToRegexp;
  if (compile.cached) return;
  const compiled = new Map<string, unknown>();
  const cached: PathToRegexp & { cached?: true } = (path, options) => {
    const opts = (options ?? {}) as { sensitive?: boolean; strict?: boolean };
    // Only the validator's own calls (a path, sensitive, strict) are kept; anything else compiles as before.
    if (typeof path !== 'string' || Object.keys(opts).some((k) => k !== 'sensitive' && k !== 'strict'))
      return compile(path, options);
    const key = `${path}|${opts.sensitive}|${opts.strict}`;
    let result = compiled.get(key);
    if (result === undefined) compiled.set(key, (result = compile(path, options)));
    return result;
  };
  cached.cached = true;
  ptr.pathToRegexp = cached;
}
