// The demo page: sign-in, session status, profile and settings, on top of the wasm module.
// No inline script anywhere, so the page runs under a strict Content-Security-Policy.

import init, { TwitchAuth } from "../pkg/twitch_wasm_auth.js";
import { setupDoctor } from "./doctor.js";

const SETTINGS_KEY = "twitch-wasm-auth-demo:settings";
const DEFAULT_SCOPES = ["user:read:email"];

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);

/** Reads the site's config.json (written by mock-twitch or `cargo xtask dist`), if any. */
async function loadSiteConfig() {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
    if (!response.ok) return {};
    return await response.json();
  } catch {
    return {};
  }
}

function loadSavedSettings() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

/** Merges the site config and the settings saved in this browser; saved settings win. */
function effectiveConfig(site, saved) {
  const scopes = (saved.scopes ?? site.scopes ?? DEFAULT_SCOPES.join(" "))
    .split(/\s+/)
    .filter(Boolean);
  const config = {
    clientId: saved.clientId || site.client_id || "",
    redirectUri: saved.redirectUri || undefined,
    scopes,
  };
  if (site.id_base) config.idBase = site.id_base;
  if (site.helix_base) config.helixBase = site.helix_base;
  return config;
}

function showError(error) {
  const element = $("error-message");
  if (!error) {
    element.hidden = true;
    element.textContent = "";
    return;
  }
  element.hidden = false;
  element.dataset.code = error.code ?? "";
  element.textContent = error.hint ? `${capitalise(error.message)}. ${error.hint}` : capitalise(error.message);
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

const STATUS_TEXT = { signed_in: "Signed in", signed_out: "Signed out", unverified: "Unverified" };

function formatDuration(ms) {
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  // Whole days left, counted down like the doctor's "expires in N days".
  return `${Math.floor(minutes / (60 * 24))} days`;
}

function renderState(state) {
  const status = $("session-status");
  status.dataset.status = state.status;
  status.textContent = STATUS_TEXT[state.status] ?? state.status;
  $("session-reason").textContent = state.reason ? `(${state.reason.message})` : "";

  const signedIn = state.status !== "signed_out";
  $("user-login").textContent = state.login ?? "–";
  $("session-flow").textContent = state.flow ?? "–";
  $("session-scopes").textContent = signedIn ? state.scopes.join(" ") || "(none)" : "–";
  $("session-expiry").textContent = !signedIn
    ? "–"
    : state.expiresAt === null
      ? "never"
      : `in ${formatDuration(state.expiresAt - Date.now())}`;
  $("session-validated").textContent = state.validatedAt ? new Date(state.validatedAt).toLocaleString() : "–";
  $("session-next-check").textContent = signedIn ? nextCheckText(state) : "–";

  $("login-button").hidden = signedIn;
  $("device-login-button").hidden = signedIn;
  $("logout-button").hidden = !signedIn;
  if (!signedIn) $("profile").hidden = true;
}

/** Describes the next automatic check: a refresh for device sessions, else the hourly validation. */
function nextCheckText(state) {
  const hour = 3600 * 1000;
  const validateAt = state.validatedAt + hour;
  if (state.flow === "device" && state.expiresAt !== null) {
    const refreshAt = state.expiresAt - 5 * 60 * 1000;
    if (refreshAt < validateAt) return `refresh in ${formatDuration(Math.max(0, refreshAt - Date.now()))}`;
  }
  return `validation in ${formatDuration(Math.max(0, validateAt - Date.now()))}`;
}

/** Runs a device sign-in: shows the code and a countdown until the user approves on Twitch. */
async function deviceLogin(auth) {
  showError(null);
  const panel = $("device-panel");
  let handle;
  try {
    handle = await auth.startDeviceLogin();
  } catch (error) {
    showError(error);
    return;
  }

  $("device-code").textContent = handle.userCode;
  const link = $("device-link");
  link.href = handle.verificationUri;
  link.textContent = new URL(handle.verificationUri).origin + new URL(handle.verificationUri).pathname;
  const tick = () => {
    const seconds = Math.max(0, Math.round((handle.expiresAt - Date.now()) / 1000));
    $("device-countdown").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  };
  tick();
  const countdown = setInterval(tick, 1000);
  const cancel = () => handle.cancel();
  $("device-cancel-button").addEventListener("click", cancel, { once: true });
  panel.hidden = false;
  $("device-login-button").disabled = true;
  $("login-button").disabled = true;

  try {
    // The state listener renders the profile once the session arrives.
    await handle.wait();
  } catch (error) {
    showError(error);
  } finally {
    clearInterval(countdown);
    $("device-cancel-button").removeEventListener("click", cancel);
    panel.hidden = true;
    $("device-login-button").disabled = false;
    $("login-button").disabled = false;
  }
}

async function renderProfile(auth) {
  try {
    const [user] = await auth.getUsers();
    if (!user) return;
    $("user-display-name").textContent = user.display_name;
    $("user-description").textContent = user.description;
    $("user-meta").textContent = [
      user.broadcaster_type && `${user.broadcaster_type}`,
      user.email && `e-mail ${user.email}`,
      user.created_at && `joined ${user.created_at.slice(0, 10)}`,
    ].filter(Boolean).join(" · ");
    const avatar = $("user-avatar");
    if (user.profile_image_url) avatar.src = user.profile_image_url;
    avatar.hidden = !user.profile_image_url;
    $("profile").hidden = false;
  } catch (error) {
    showError(error);
    renderState(auth.state());
  }
}

function fillSettingsForm(config, saved) {
  const form = $("settings-form");
  form.clientId.value = saved.clientId ?? config.clientId;
  form.redirectUri.value = saved.redirectUri ?? "";
  form.scopes.value = saved.scopes ?? config.scopes.join(" ");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const settings = {
      clientId: form.clientId.value.trim(),
      redirectUri: form.redirectUri.value.trim(),
      scopes: form.scopes.value.trim(),
    };
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    location.reload();
  });
  $("settings-reset").addEventListener("click", () => {
    localStorage.removeItem(SETTINGS_KEY);
    location.reload();
  });
}

async function main() {
  await init();

  const site = await loadSiteConfig();
  const saved = loadSavedSettings();
  const config = effectiveConfig(site, saved);
  $("mock-banner").hidden = !site.mock;
  fillSettingsForm(config, saved);

  if (!config.clientId) {
    renderState({ status: "signed_out", reason: null, scopes: [] });
    showError({ message: "no client id is configured", hint: "Enter your app's client id under Settings." });
    $("settings").open = true;
    return;
  }

  let auth;
  try {
    auth = new TwitchAuth(config);
  } catch (error) {
    showError(error);
    $("settings").open = true;
    return;
  }

  // For scripts and tests driving the demo page; the page itself does not use it.
  window.twitchAuthDemo = auth;
  setupDoctor(auth);

  let previousStatus = null;
  auth.onChange((state) => {
    renderState(state);
    if (state.status === "signed_out" && state.reason) showError(state.reason);
    // Another tab signed in, or this one came back from a failed validation.
    if (state.status === "signed_in" && previousStatus !== null && previousStatus !== "signed_in") {
      renderProfile(auth);
    }
    previousStatus = state.status;
  });
  $("device-login-button").addEventListener("click", () => deviceLogin(auth));

  $("login-button").addEventListener("click", () => {
    try {
      auth.login();
    } catch (error) {
      showError(error);
    }
  });
  $("logout-button").addEventListener("click", async () => {
    showError(null);
    try {
      await auth.logout();
    } catch (error) {
      showError(error);
    }
  });

  const { state, redirectError } = await auth.start();
  renderState(state);
  showError(redirectError ?? state.reason);
  $("login-button").disabled = false;
  $("device-login-button").disabled = false;
  previousStatus = state.status;

  if (state.status === "signed_in") {
    performance.mark("twa:validated");
  }
  if (state.status !== "signed_out") {
    await renderProfile(auth);
  }
}

main().catch((error) => {
  showError({ message: String(error?.message ?? error), hint: "Reload the page." });
});
