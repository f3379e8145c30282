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
  return `${Math.round(hours / 24)} days`;
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

  $("login-button").hidden = signedIn;
  $("logout-button").hidden = !signedIn;
  if (!signedIn) $("profile").hidden = true;
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

  setupDoctor(auth);

  auth.onChange((state) => {
    renderState(state);
    if (state.status === "signed_out" && state.reason) showError(state.reason);
  });

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
