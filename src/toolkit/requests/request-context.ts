import type { DocumentSender } from '../recorder/pattern-label';

/** What the request helpers need; a service's own context extends it. */
export interface RequestContext {
  /** Sends the requests: a DynamoDBDocumentClient, or forPattern(doc, name) to label them. */
  doc: DocumentSender;
  /** Signs page cursors (HMAC-SHA256) when set; cursors are always bound to their listing. */
  cursorSecret?: string | undefined;
  /** Attempts of a transaction DynamoDB cancels for a conflict or throttling (the SDK does not retry those). Default 5. */
  transactionAttempts?: number;
  /** The table's primary-key attributes, part of every cursor. Default `['pk', 'sk']`. */
  tableKeyFields?: readonly string[];
  /** Page size when a call gives none. Default 25. */
  defaultPageSize?: number;
}

/** One page of a listing; pass `cursor` back to continue, `null` when there is no more. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export const DEFAULT_PAGE_SIZE = 25;
