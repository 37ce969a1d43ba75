// Cold start, baseline: import genkit and create an app.
import { genkit } from "genkit";

export const ai = genkit({ promptDir: null });
