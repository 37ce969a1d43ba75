/**
 * The Clef decision task: `@cf/cloudflare/clef`, `clef-flash` and
 * `clef-omni` take `{ model, state, questions, images?, audio?, videos? }`
 * and answer `{ model, answers, usage }`. Each request is judged by the
 * model's published input schema (with a JSON Schema validator, not by the
 * plugin's catalog) plus the rules Cloudflare's Clef documentation adds
 * (question ids, non-empty instructions, 2 to 255 choice options); the
 * answers are deterministic functions of the state and the question.
 *
 * @module
 */

import { Validator } from "@cfworker/json-schema";
import { publishedModel } from "../definitions/mod.ts";
import { PUBLISHED_SCHEMAS } from "../definitions/schemas.ts";
import { badInput, noSuchModel } from "./errors.ts";
import { modelObject } from "./model_object.ts";
import type { EmulatorTask, TaskAnswer, TaskContext } from "./task_contract.ts";
import { hash32, isObject, prng, wordsOf } from "./util.ts";
import { jsonInput } from "./validate.ts";

/** The published models whose input is a Clef request: a state and questions. */
const CLEF_IDS: readonly string[] = Object.keys(PUBLISHED_SCHEMAS).filter((id) => {
  const input = PUBLISHED_SCHEMAS[id].input as { properties?: Record<string, unknown> };
  return input.properties !== undefined && "state" in input.properties &&
    "questions" in input.properties;
}).sort();

const validators = new Map<string, Validator>();

/** The validator of a model's published input schema (compiled once). */
function validatorOf(model: string): Validator {
  let v = validators.get(model);
  if (!v) {
    v = new Validator(PUBLISHED_SCHEMAS[model].input as Record<string, unknown>, "2020-12", false);
    validators.set(model, v);
  }
  return v;
}

/** Refuses what the published schema refuses: 5006 naming the most specific failure. */
function validate(model: string, body: unknown): void {
  const { valid, errors } = validatorOf(model).validate(body);
  if (valid) return;
  const deepest = errors.reduce((a, b) =>
    b.instanceLocation.length > a.instanceLocation.length ? b : a
  );
  const at = deepest.instanceLocation.replace(/^#/, "") || "/";
  throw badInput(`${deepest.error} (at '${at}', keyword ${deepest.keyword})`);
}

const QUESTION_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** The documented rules the schema does not state. */
function checkQuestions(questions: Record<string, Record<string, unknown>>): void {
  for (const [id, q] of Object.entries(questions)) {
    if (!QUESTION_ID.test(id)) {
      throw badInput(`Question id '${id}' must be 1-100 characters of [A-Za-z0-9_.-]`);
    }
    const i = q.instructions;
    if (i === null || i === undefined || (typeof i === "string" && i.trim() === "")) {
      throw badInput(
        `Instructions of question '${id}' must be a non-empty string, object or array`,
      );
    }
    if (q.type === "choice") {
      const n = Object.keys(q.criteria as Record<string, unknown>).length;
      if (n < 2 || n > 255) {
        throw badInput(`Choice question '${id}' has ${n} options; it takes 2 to 255`);
      }
    }
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** `n` probabilities summing to 1, drawn from `seed`. */
function distribution(seed: number, n: number): number[] {
  const next = prng(seed);
  const raw = Array.from({ length: n }, () => 0.05 + next() ** 2);
  const total = raw.reduce((a, b) => a + b, 0);
  const p = raw.map((x) => round(x / total));
  p[p.length - 1] = round(1 - p.slice(0, -1).reduce((a, b) => a + b, 0));
  return p;
}

/** The answer to one question about `state`. */
function answerOf(state: string, id: string, q: Record<string, unknown>): unknown {
  const seed = hash32(`${state}\u0000${id}\u0000${JSON.stringify(q.instructions)}`);
  if (q.type === "noul") return { type: "noul", noul: round((seed % 10_000) / 10_000) };
  if (q.type === "choice") {
    const options = Object.keys(q.criteria as Record<string, unknown>);
    const p = distribution(seed, options.length);
    const best = p.indexOf(Math.max(...p));
    return {
      type: "choice",
      choice: options[best],
      probabilities: Object.fromEntries(options.map((o, i) => [o, p[i]])),
      confidence: p[best],
    };
  }
  const levels = q.criteria as unknown[];
  const p = distribution(seed, levels.length);
  return {
    type: "score",
    score: round(Math.min(levels.length - 1, p.reduce((sum, pi, i) => sum + i * pi, 0))),
    legend: Object.fromEntries(levels.map((l, i) => [String(i), l])),
    probabilities: Object.fromEntries(p.map((pi, i) => [String(i), pi])),
    confidence: Math.max(...p),
  };
}

/** The answers: one per question, and usage counting the state, questions and media. */
function clefResult(body: Record<string, unknown>): unknown {
  const state = typeof body.state === "string" ? body.state : JSON.stringify(body.state);
  const questions = body.questions as Record<string, Record<string, unknown>>;
  checkQuestions(questions);
  const media = ["images", "audio", "videos"]
    .reduce((n, f) => n + (Array.isArray(body[f]) ? (body[f] as unknown[]).length : 0), 0);
  const asked = JSON.stringify(questions);
  return {
    model: String(body.model).trim(),
    answers: Object.fromEntries(
      Object.entries(questions).map(([id, q]) => [id, answerOf(state, id, q)]),
    ),
    usage: {
      input_tokens: wordsOf(state).length + wordsOf(asked).length + 256 * media,
      output_tokens: Object.keys(questions).length,
    },
  };
}

/** The Clef task. */
export const clefTask: EmulatorTask = {
  name: "clef",
  handles: (model, op) => op === "run" && CLEF_IDS.includes(model),
  answer(ctx: TaskContext): TaskAnswer {
    if (!CLEF_IDS.includes(ctx.model)) throw noSuchModel(ctx.model);
    const body = jsonInput(ctx.body);
    validate(ctx.model, body);
    if (!isObject(body)) throw badInput("Type mismatch of '/', not in 'object'");
    return { result: clefResult(body) };
  },
  models: () =>
    CLEF_IDS.map((id) => {
      const facts = publishedModel(id);
      const properties: [string, string][] = [];
      if (facts?.contextWindow) properties.push(["context_window", String(facts.contextWindow)]);
      if (facts?.vision) properties.push(["vision", "true"]);
      return modelObject(
        id,
        {
          name: PUBLISHED_SCHEMAS[id].task,
          description: "Decision models answering yes/no, choice and score questions.",
        },
        "Clef answers questions about a state with calibrated probabilities.",
        properties,
      );
    }),
};
