/**
 * Parsed and validated query documents by query text, as graph-node caches its validation results: dApps send
 * the same few query texts again and again with other variables, so each text is parsed and validated once.
 */
import { parse, specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from "graphql";

/** A query text's document and its validation errors (none: valid). */
export interface CheckedDocument {
  document: DocumentNode;
  errors: readonly GraphQLError[];
}

/** Documents kept by default: far more distinct query texts than a dApp sends. */
export const DEFAULT_DOCUMENTS = 1_000;

/** The most recently used {@link CheckedDocument}s, at most `maxEntries`. */
export class DocumentCache {
  /** Query text → its checked document; Map order is least recently used first. */
  readonly #entries = new Map<string, CheckedDocument>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxEntries = DEFAULT_DOCUMENTS,
  ) {}

  /** The checked document of `query`; throws graphql-js's syntax error when it does not parse (not kept). */
  get(query: string): CheckedDocument {
    let checked = this.#entries.get(query);
    if (checked !== undefined) this.#entries.delete(query);
    else {
      const document = parse(query);
      checked = { document, errors: validate(this.schema, document, specifiedRules) };
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(query, checked);
    return checked;
  }
}
