import fs from 'node:fs';
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
  return OpenApiValidator.middleware({
    apiSpec: structuredClone(loadOpenApiDocument()),
    validateRequests: { allowUnknownQueryParameters: true, coerceTypes: true, allErrors: true },
    validateResponses,
    validateSecurity: false,
    ignoreUndocumented: false,
    ajvFormats: { mode: 'full' },
  });
}
