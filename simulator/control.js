// The control API under /__sim/ (no auth, JSON bodies, never enveloped).
// Every route calls the matching method on the simulator object.

import { SimulatorError, encoreError, jsonResponse } from "./errors.js";
import { handleWebhookControl } from "./webhooks.js";

async function body(request) {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SimulatorError("invalid_argument", `control request body is not valid JSON: ${e.message}`);
  }
}

function seg(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new SimulatorError("invalid_argument", `malformed percent-encoding in ${JSON.stringify(s)}`);
  }
}

/**
 * Answer a control request (pathname starting with /__sim/).
 * @param {Request} request
 * @param {URL} url
 * @param {ReturnType<import("./index.js").createSimulator>} sim
 * @returns {Promise<Response>}
 */
export async function handleControl(request, url, sim) {
  const m = request.method;
  const parts = url.pathname.split("/").slice(2); // after "", "__sim"
  const webhooks = await handleWebhookControl(request, parts, sim.webhooks, body);
  if (webhooks) return webhooks;
  const route = `${m} ${parts.map((p, i) => (i === 1 && (parts[0] === "rollouts" || parts[0] === "clients") ? ":id" : p)).join("/")}`;
  try {
    switch (route) {
      case "GET config":
        return jsonResponse(200, sim.config());
      case "GET faults":
        return jsonResponse(200, sim.listFaults());
      case "POST faults":
        return jsonResponse(200, sim.addFault(await body(request)));
      case "DELETE faults":
        return jsonResponse(200, { cleared: sim.clearFaults() });
      case "POST rate-limit":
        return jsonResponse(200, sim.setRateLimit(await body(request)));
      case "DELETE rate-limit":
        sim.setRateLimit(null);
        return jsonResponse(200, null);
      case "POST rollouts/:id/approve":
        return jsonResponse(200, sim.approve(seg(parts[1])));
      case "POST rollouts/:id/reject":
        return jsonResponse(200, sim.reject(seg(parts[1])));
      case "POST rollouts/:id/cancel":
        return jsonResponse(200, sim.cancel(seg(parts[1])));
      case "GET rollouts/:id": {
        const r = sim.getRollout(seg(parts[1]));
        if (!r) throw new SimulatorError("not_found", `rollout ${JSON.stringify(parts[1])} not found`);
        return jsonResponse(200, r);
      }
      case "POST clients/:id/revoke": {
        const b = await body(request);
        return jsonResponse(200, { revoked: sim.revokeClient(seg(parts[1]), { disable: b.disable === true }) });
      }
      case "GET clock":
        return jsonResponse(200, clockState(sim));
      case "POST clock/advance": {
        const b = await body(request);
        sim.clock.advance(b.ms);
        return jsonResponse(200, clockState(sim));
      }
      case "GET requests":
        return jsonResponse(200, sim.requests);
      case "POST reset":
        sim.reset();
        return jsonResponse(200, { reset: true });
    }
    return encoreError("not_found", `no control endpoint ${m} ${url.pathname}`);
  } catch (e) {
    if (e instanceof SimulatorError) return encoreError(e.code, e.message, { details: e.details, status: e.status });
    if (e instanceof TypeError) return encoreError("invalid_argument", e.message);
    throw e;
  }
}

function clockState(sim) {
  const now = sim.clock.now();
  return { mode: sim.clock.mode, now, time: new Date(now).toISOString() };
}
