import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import type { Answer } from './client.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  spec: any;
}

/**
 * Checks requests and answers against an official OpenAPI file with Ajv over the file's own schemas: the
 * operation is found by method and path, then the request body, query and path parameters, the status,
 * the body and the declared headers of the answer are validated. Records which operations were exercised.
 */
export class OpenApiContract {
  readonly doc: any;
  readonly operations: Operation[] = [];
  readonly exercised = new Set<string>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(file: string, private readonly basePath: string) {
    this.doc = parse(readFileSync(file, 'utf8'));
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc, 'spec');
    for (const [template, item] of Object.entries<any>(this.doc.paths)) {
      for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
        if (!item[method]) continue;
        const source = template.split('/').map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s)).join('/');
        this.operations.push({ operationId: item[method].operationId, method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), spec: item[method] });
      }
    }
    // Literal paths before templated ones, so /persons/lookup is not taken for /persons/{id}.
    this.operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** Follows an OpenAPI `$ref` (to components/responses, parameters, headers). */
  deref(node: any): any {
    if (!node?.$ref) return node;
    const path = (node.$ref as string).replace(/^#\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    return this.deref(path.reduce((at: any, key) => at?.[key], this.doc));
  }

  private validator(schema: any): ValidateFunction {
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(rewriteRefs(schema));
      this.compiled.set(schema, fn);
    }
    return fn;
  }

  private check(schema: any, value: unknown, where: string): string[] {
    const fn = this.validator(schema);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }

  operation(method: string, url: string): Operation {
    const pathname = new URL(url).pathname;
    if (!pathname.startsWith(this.basePath)) throw new Error(`${url} is outside ${this.basePath}`);
    const path = pathname.slice(this.basePath.length);
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    if (!op) throw new Error(`no operation in the OpenAPI file for ${method} ${path}`);
    return op;
  }

  /** Problems with a request as the file defines it (parameters and body). */
  validateRequest(method: string, url: string, body: unknown): string[] {
    const op = this.operation(method, url);
    const parsed = new URL(url);
    const values = op.template.split('/');
    const actual = parsed.pathname.slice(this.basePath.length).split('/');
    const problems: string[] = [];
    for (const parameter of (op.spec.parameters ?? []).map((p: any) => this.deref(p))) {
      const raw = parameter.in === 'path' ? actual[values.indexOf(`{${parameter.name}}`)] : parsed.searchParams.get(parameter.name) ?? undefined;
      if (raw === undefined) {
        if (parameter.required) problems.push(`${parameter.in} parameter ${parameter.name} is required`);
        continue;
      }
      problems.push(...this.check(parameter.schema, coerce(raw, parameter.schema), `${parameter.in} parameter ${parameter.name}`));
    }
    const requestBody = this.deref(op.spec.requestBody);
    if (requestBody) {
      if (body === undefined) {
        if (requestBody.required) problems.push('request body is required');
      } else problems.push(...this.check(requestBody.content['application/json'].schema, body, 'request body'));
    }
    return problems;
  }

  /** Problems with an answer: undeclared status, body not matching its schema, declared headers of the wrong type. */
  validateResponse(method: string, url: string, answer: Answer): string[] {
    const op = this.operation(method, url);
    this.exercised.add(op.operationId);
    const declared = op.spec.responses[String(answer.status)] ?? op.spec.responses.default;
    if (!declared) return [`status ${answer.status} is not declared for ${op.operationId}`];
    const response = this.deref(declared);
    const problems: string[] = [];
    const media = response.content?.['application/json'];
    if (media) {
      if (!String(answer.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`content-type is ${answer.headers['content-type']}`);
      problems.push(...this.check(media.schema, answer.json, `${op.operationId} ${answer.status} body`));
    }
    for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
      const raw = answer.headers[name.toLowerCase()];
      if (raw === undefined) continue;
      const schema = this.deref(header).schema;
      problems.push(...this.check(schema, coerce(String(raw), schema), `header ${name}`));
    }
    return problems;
  }

  unexercised(): string[] {
    return this.operations.map((o) => o.operationId).filter((id) => !this.exercised.has(id));
  }
}

function coerce(raw: string, schema: any): unknown {
  if (schema?.type === 'integer' || schema?.type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (schema?.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** The file's schemas refer to `#/components/...`; compiled on their own they must refer into the added document. */
function rewriteRefs(node: any): any {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `spec${v}` : rewriteRefs(v)]));
  }
  return node;
}
