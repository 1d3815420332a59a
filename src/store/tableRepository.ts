import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { AlreadyExistsError, ConcurrencyError, EntityTooLargeError, statusCodeOf } from './errors';
import { decodeKey, encodeKey } from './keys';

/** A record as read from storage, with the ETag that a conditional write must present. */
export interface Stored<T> {
  value: T;
  etag: string;
}

export type ColumnValue = string | number | boolean;

/** One string property holds at most 64 KiB (32 K UTF-16 characters); stay well below. */
const CHUNK = 30_000;
/** One entity holds at most 1 MiB, counted as UTF-16: 480 K characters leaves room for keys and columns. */
const MAX_JSON = 480_000;
const MAX_CONFLICT_RETRIES = 8;

/**
 * One table of one entity type. The record is validated with its schema on every read and write and
 * stored as JSON split over `d0…dN` properties (so no single property exceeds Azure's limit), beside
 * optional flat columns that queries can filter on. Keys are encoded to survive Azure's character rules.
 */
export abstract class TableRepository<T> {
  protected constructor(
    protected readonly table: TableClient,
    private readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    private readonly entityName: string,
  ) {}

  protected abstract keysOf(value: T): { partitionKey: string; rowKey: string };

  /** Flat properties stored beside the JSON, for server-side filters. */
  protected columnsOf(_value: T): Record<string, ColumnValue> {
    return {};
  }

  async find(partitionKey: string, rowKey: string): Promise<Stored<T> | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(encodeKey(partitionKey), encodeKey(rowKey));
      return this.decode(entity);
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Stores a new record; fails with AlreadyExistsError if one with the same keys exists. */
  async create(value: T): Promise<Stored<T>> {
    try {
      const result = await this.table.createEntity(this.encode(value));
      return { value, etag: result.etag ?? '' };
    } catch (error) {
      if (statusCodeOf(error) === 409) throw new AlreadyExistsError(this.entityName);
      throw error;
    }
  }

  /** Replaces the record only if it is unchanged since it was read with `etag`. */
  async replace(value: T, etag: string): Promise<Stored<T>> {
    try {
      const result = await this.table.updateEntity(this.encode(value), 'Replace', { etag });
      return { value, etag: result.etag ?? '' };
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) throw new ConcurrencyError(this.entityName);
      throw error;
    }
  }

  /** Writes the record whatever is stored; the new ETag tells later writers it changed. */
  async put(value: T): Promise<Stored<T>> {
    const result = await this.table.upsertEntity(this.encode(value), 'Replace');
    return { value, etag: result.etag ?? '' };
  }

  async remove(partitionKey: string, rowKey: string, etag = '*'): Promise<void> {
    try {
      await this.table.deleteEntity(encodeKey(partitionKey), encodeKey(rowKey), { etag });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 404 && etag === '*') return;
      if (status === 412 || status === 404) throw new ConcurrencyError(this.entityName);
      throw error;
    }
  }

  listPartition(partitionKey: string): Promise<Stored<T>[]> {
    return this.query(odata`PartitionKey eq ${encodeKey(partitionKey)}`);
  }

  /** Records matching an OData filter; build it with `odata` so values are escaped. */
  protected async query(filter: string): Promise<Stored<T>[]> {
    const out: Stored<T>[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push(this.decode(entity));
    }
    return out;
  }

  /**
   * Reads, changes and writes back one record with optimistic concurrency, retrying when another
   * writer got there first. `change` gets the current record (or undefined) and returns the new one,
   * or `undefined` to leave storage as it is. Returns what is stored afterwards.
   */
  async mutate(
    partitionKey: string,
    rowKey: string,
    change: (current: T | undefined) => T | undefined,
    known?: Stored<T>,
  ): Promise<Stored<T> | undefined> {
    for (let attempt = 0; ; attempt++) {
      // The entity as the caller last wrote it saves a read; if it has changed since, the ETag says so and it is read.
      const current = attempt === 0 && known ? known : await this.find(partitionKey, rowKey);
      const next = change(current?.value);
      if (next === undefined) return current;
      try {
        return current ? await this.replace(next, current.etag) : await this.create(next);
      } catch (error) {
        const retryable = error instanceof ConcurrencyError || error instanceof AlreadyExistsError;
        if (!retryable || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  private encode(value: T): Record<string, unknown> & { partitionKey: string; rowKey: string } {
    const parsed = this.schema.parse(value);
    const json = JSON.stringify(parsed);
    if (json.length > MAX_JSON) throw new EntityTooLargeError(this.entityName, json.length);
    const { partitionKey, rowKey } = this.keysOf(parsed);
    const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
      partitionKey: encodeKey(partitionKey),
      rowKey: encodeKey(rowKey),
      ...this.columnsOf(parsed),
      dn: Math.max(1, Math.ceil(json.length / CHUNK)),
    };
    for (let i = 0; i * CHUNK < json.length || i === 0; i++) entity[`d${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
    return entity;
  }

  private decode(entity: TableEntityResult<Record<string, unknown>>): Stored<T> {
    const count = Number(entity.dn);
    let json = '';
    for (let i = 0; i < count; i++) json += String(entity[`d${i}`] ?? '');
    const value = this.schema.parse(JSON.parse(json));
    const keys = this.keysOf(value);
    if (keys.partitionKey !== decodeKey(String(entity.partitionKey)) || keys.rowKey !== decodeKey(String(entity.rowKey))) {
      throw new Error(`${this.entityName}: stored keys do not match the stored record`);
    }
    return { value, etag: entity.etag };
  }
}
