export interface Entry {
  readonly name: string;
  readonly source: string;
  readonly subpath: string | null;
  readonly bin?: string;
}
export declare const entries: readonly Entry[];
