// The "Why does my token fail?" panel: collects what the user has, runs the token doctor
// and shows its findings as a checklist. Nothing typed here is stored or logged.

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);

const TOKEN_PLACEHOLDER = "30 characters, as stored";
const SESSION_PLACEHOLDER = "The stored session's token (not shown)";

/** Wires the doctor panel to `auth` and shows it. */
export function setupDoctor(auth) {
  const panel = $("doctor-panel");
  if (!panel) return;

  const form = $("doctor-form");
  const useSession = $("doctor-use-session");
  let sessionMode = false;

  function setSessionMode(on) {
    sessionMode = on;
    useSession.setAttribute("aria-pressed", String(on));
    useSession.textContent = on ? "Stop using my session" : "Use my session";
    form.token.value = "";
    form.token.disabled = on;
    form.token.placeholder = on ? SESSION_PLACEHOLDER : TOKEN_PLACEHOLDER;
    const { clientId } = auth.state();
    if (on && clientId && !form.clientId.value) form.clientId.value = clientId;
  }

  async function run() {
    const url = form.url.value.trim();
    const headers = form.headers.value;
    const hasRequest = url !== "" || headers.trim() !== "";
    const input = {
      token: sessionMode ? undefined : form.token.value,
      clientId: form.clientId.value,
      method: hasRequest ? form.method.value : undefined,
      url,
      headers,
      status: form.status.value,
      body: form.body.value,
      useStoredSession: sessionMode,
    };

    const runButton = $("doctor-run");
    runButton.disabled = true;
    setStateLine("Checking…", "running");
    try {
      renderFindings(await auth.diagnose(input));
    } catch (error) {
      renderFindings([{
        severity: "error",
        code: error?.code ?? "doctor_failed",
        title: "The doctor could not run",
        evidence: String(error?.message ?? error),
        fix: error?.hint ?? "Reload the page and try again.",
      }]);
    } finally {
      runButton.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  // Findings about a session that ended no longer apply.
  auth.onChange((state) => {
    if (state.status !== "signed_out" || !sessionMode) return;
    setSessionMode(false);
    $("doctor-findings").replaceChildren();
    setStateLine("", "idle");
  });
  useSession.addEventListener("click", () => {
    setSessionMode(!sessionMode);
    if (sessionMode) run();
  });

  panel.hidden = false;
}

function setStateLine(text, state) {
  const line = $("doctor-state");
  line.textContent = text;
  line.dataset.state = state;
}

/** Shows the findings, most important first, as the doctor ordered them. */
function renderFindings(findings) {
  const list = $("doctor-findings");
  list.replaceChildren(...findings.map(renderFinding));

  const problems = findings.filter((finding) => finding.severity !== "ok").length;
  if (problems === 0) {
    setStateLine("No problem found.", "clean");
  } else {
    setStateLine(problems === 1 ? "1 problem found." : `${problems} problems found.`, "problems");
  }
}

function renderFinding(finding) {
  const item = document.createElement("li");
  item.className = "finding";
  item.dataset.testid = "doctor-finding";
  item.dataset.severity = finding.severity;
  item.dataset.code = finding.code;

  const title = document.createElement("strong");
  title.className = "finding-title";
  title.textContent = finding.title;

  const evidence = document.createElement("p");
  evidence.className = "finding-evidence";
  appendText(evidence, finding.evidence);

  const fix = document.createElement("p");
  fix.className = "finding-fix";
  appendText(fix, finding.fix);

  item.append(title, evidence, fix);
  return item;
}

/** Appends `text` to `element`, showing the parts between backticks as code. */
function appendText(element, text) {
  text.split("`").forEach((part, index) => {
    if (index % 2 === 0) {
      element.append(part);
    } else {
      const code = document.createElement("code");
      code.textContent = part;
      element.append(code);
    }
  });
}
