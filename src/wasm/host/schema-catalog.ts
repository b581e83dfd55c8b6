/** Schemas the `schema-registry` import serves: the ones configured locally; anything else is `not-found`. */

export interface RegisteredSchema {
  name: string;
  version: string;
  /** `json` (JSON Schema) or `delta`. */
  format: 'json' | 'delta';
  content: string;
  namespace?: string;
  description?: string;
  displayName?: string;
}

export class SchemaCatalog {
  private readonly schemas = new Map<string, RegisteredSchema>();

  add(schema: RegisteredSchema): void {
    this.schemas.set(`${schema.name}@${schema.version}`, schema);
  }

  find(id: string, version: string): RegisteredSchema | undefined {
    return this.schemas.get(`${id}@${version}`);
  }

  /** Every schema, as plain data that can cross to another thread. */
  all(): RegisteredSchema[] {
    return [...this.schemas.values()];
  }

  static of(schemas: readonly RegisteredSchema[]): SchemaCatalog {
    const catalog = new SchemaCatalog();
    for (const schema of schemas) catalog.add(schema);
    return catalog;
  }
}
