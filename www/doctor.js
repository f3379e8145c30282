// The "Why does my token fail?" panel.

/** Wires the doctor panel to `auth`. */
export function setupDoctor(auth) {}
