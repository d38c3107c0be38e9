// The "raw fetch" contender: what a hurried user writes. The token is fetched once and cached
// in a closure; res.json(); no validation, no retries, no Date conversion.

/** @param {{ baseUrl: string, clientId: string, clientSecret: string, fetch?: typeof fetch }} o */
export function rawClient({ baseUrl, clientId, clientSecret, fetch = globalThis.fetch }) {
  let token;
  const auth = async () => {
    if (!token) {
      const res = await fetch(`${baseUrl}/api/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
      });
      token = `Bearer ${(await res.json()).access_token}`;
    }
    return token;
  };
  return {
    async getRollout(app, id) {
      const res = await fetch(`${baseUrl}/api/apps/${app}/rollouts/${id}`, { headers: { authorization: await auth() } });
      return res.json();
    },
    async triggerRollout(app, env, request) {
      const res = await fetch(`${baseUrl}/api/apps/${app}/envs/${env}/rollouts`, {
        method: "POST",
        headers: { authorization: await auth(), "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      return res.json();
    },
  };
}
