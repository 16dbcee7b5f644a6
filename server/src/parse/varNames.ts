// What the readers of platforms' files accept as a variable's name. Pure constants.

/** A shell variable's name: what a shell, Docker, Heroku and App Platform accept. */
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Also dots and dashes after the first character: what Kubernetes, Render and Helm charts pass on. */
export const LOOSE_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
