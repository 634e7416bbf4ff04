/** A host as read from an inventory file, before it becomes a stored host or a scan target. */
export interface InventoryHost {
  name: string;
  address: string;
  /** NaN when the file's value is not a whole number; then `portText` is that value as written. */
  port?: number;
  portText?: string;
  user?: string;
  identityFile?: string;
  /** ProxyJump-style chain: "a,b" or "user@a:2222" (resolved later against the inventory or ssh_config). */
  jump?: string;
  groups: string[];
  /** 1-based line where the entry is defined in its file, when known (for messages about it later). */
  line?: number;
}

/** A problem with one entry; the rest of the file is still read. */
export interface InventoryProblem {
  /** 1-based line in the source file when known, else 0. */
  line: number;
  message: string;
}

export interface InventoryParse {
  hosts: InventoryHost[];
  problems: InventoryProblem[];
}
