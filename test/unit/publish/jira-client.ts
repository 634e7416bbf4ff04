/** The REST client the Jira publish tests use, with a personal access token (Bearer). */
import type { JsonClient, JsonRequest } from '../../../main/publish/jira.js';

export function jiraClient(baseUrl: string, token: string): JsonClient {
  return {
    baseUrl,
    async request<T>(r: JsonRequest): Promise<T> {
      const url = new URL(`${baseUrl}${r.path}`);
      for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, String(v));
      let res: Response;
      try {
        res = await fetch(url, {
          method: r.method,
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
          body: r.json === undefined ? undefined : JSON.stringify(r.json),
        });
      } catch (e) {
        throw new Error(`${r.what}: ${r.op}: cannot reach ${baseUrl} (${String((e as { cause?: unknown }).cause ?? e)})`);
      }
      const text = await res.text();
      if (!res.ok) {
        const j = JSON.parse(text || '{}') as { errorMessages?: string[]; errors?: Record<string, string> };
        const msg = [...(j.errorMessages ?? []), ...Object.entries(j.errors ?? {}).map(([k, v]) => `${k}: ${v}`)].join('; ');
        throw new Error(`${r.what}: ${r.op}: server said ${res.status}: ${msg}`);
      }
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}
