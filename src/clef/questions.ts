/**
 * The output schema of a Genkit request as Clef questions, and Clef's
 * answers as the output that schema describes: a boolean field is a yes/no
 * (`noul`) question answered `true` when the probability of yes is at least
 * 0.5; a string enum is a `choice` among its values, answered with the best
 * one; a number or integer with a minimum and a maximum is a `score` over
 * levels spanning that range, answered with the expected value (rounded for
 * an integer). Each field's description is its question's instructions.
 *
 * @module
 */
import { invalidArgument as invalid } from "../errors.ts";
import { unexpected } from "../task_model.ts";
import type { ClefAnswer } from "./config.ts";

/** One Clef question, as the published input schema's `questions` values take it. */
export type ClefQuestion =
  | { type: "noul"; instructions: string }
  | { type: "choice"; instructions: string; criteria: Record<string, null> }
  | { type: "score"; instructions: string; criteria: string[] };

/** How one output field is asked, and so how its answer becomes its value. */
type Asked =
  | { type: "noul" }
  | { type: "choice"; options: readonly string[] }
  | { type: "score"; levels: readonly number[]; integer: boolean };

/** The questions of a request, and how to read their answers back. */
export interface Questionnaire {
  /** The questions, by output field name (the request's `questions`). */
  questions: Record<string, ClefQuestion>;
  /** How each field was asked. */
  asked: Record<string, Asked>;
}

/** Question ids Cloudflare accepts: letters, digits, `_`, `.` and `-`, at most 100. */
const QUESTION_ID = /^[A-Za-z0-9_.-]{1,100}$/;
/** Questions per request: the published `questions` `minProperties` and `maxProperties`. */
const MIN_QUESTIONS = 1;
const MAX_QUESTIONS = 64;
/** Options of a choice question (Cloudflare's documentation of `choice` criteria). */
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 255;
/** Levels of a score question: the published `criteria` `minItems` and `maxItems`. */
const MAX_LEVELS = 10;
/** Levels of a score whose range is not 2 to 10 whole numbers. */
const SPREAD_LEVELS = 5;

const KINDS = "Clef asks yes/no questions (a boolean field), choices (a string field with an " +
  "enum) and scores (a number or integer field with a minimum and a maximum), each described " +
  "by the field's description";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A number without float noise: 0.30000000000000004 → 0.3. */
const tidy = (x: number) => Number(x.toPrecision(12));

/** A field's JSON type, `null` removed from a nullable one; `undefined` when there is no one type. */
function typeOf(field: Record<string, unknown>): string | undefined {
  const t = field.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const types = t.filter((x) => x !== "null");
    return types.length === 1 && typeof types[0] === "string" ? types[0] : undefined;
  }
  return undefined;
}

/** What a field is, for a refusal: "a string without enum", "an object", … */
function described(field: Record<string, unknown>): string {
  const type = typeOf(field);
  if (type === "string") return "a string without enum";
  if (type === "number" || type === "integer") return `${type === "integer" ? "an" : "a"} ${type}`;
  if (type === "object") return "a nested object";
  if (type === "array") return "an array";
  if (type) return `of type ${type}`;
  return "a field of no single type (a union or a reference)";
}

/**
 * The levels of a score over [min, max]: each whole number in the range when
 * there are at most 10 of them and the field is an integer or there are at
 * least 5 (1 to 5 stars); otherwise 5 evenly spaced values (0, 0.25, …, 1).
 */
function levelsOf(min: number, max: number, integer: boolean): number[] {
  const count = max - min + 1;
  const whole = Number.isInteger(min) && Number.isInteger(max) && count <= MAX_LEVELS &&
    (integer || count >= SPREAD_LEVELS);
  if (whole) return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const step = (max - min) / (SPREAD_LEVELS - 1);
  return Array.from({ length: SPREAD_LEVELS }, (_, i) => tidy(min + i * step));
}

/** A score's levels as Clef reads them, lowest first: "1 (lowest)", "2", …, "5 (highest)". */
function levelTexts(levels: readonly number[]): string[] {
  const last = levels.length - 1;
  return levels.map((v, i) => `${v}${i === 0 ? " (lowest)" : i === last ? " (highest)" : ""}`);
}

/** How a field is asked, or a refusal naming it. */
function ask(model: string, name: string, field: Record<string, unknown>): [ClefQuestion, Asked] {
  const cannot = (why: string) =>
    invalid(
      `${model} cannot ask the output field "${name}": ${why}. ${KINDS}. Change or remove the field.`,
    );
  const instructions = typeof field.description === "string" ? field.description.trim() : "";
  const type = typeOf(field);
  let question: [ClefQuestion, Asked];
  if (Array.isArray(field.enum)) {
    const options = field.enum;
    if (!options.every((o) => typeof o === "string")) throw cannot("its enum is not all strings");
    if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
      throw cannot(
        `it has ${options.length} enum values, and a choice takes ${MIN_OPTIONS} to ${MAX_OPTIONS}`,
      );
    }
    const criteria = Object.fromEntries(options.map((o) => [o, null]));
    question = [{ type: "choice", instructions, criteria }, { type: "choice", options }];
  } else if (type === "boolean") {
    question = [{ type: "noul", instructions }, { type: "noul" }];
  } else if (type === "number" || type === "integer") {
    const { minimum: min, maximum: max } = field;
    if (typeof min !== "number" || typeof max !== "number" || !(max > min)) {
      throw cannot(
        `it is ${described(field)} without an inclusive minimum and a larger maximum ` +
          "(a score needs its range, e.g. z.number().min(1).max(5))",
      );
    }
    const levels = levelsOf(min, max, type === "integer");
    question = [
      { type: "score", instructions, criteria: levelTexts(levels) },
      { type: "score", levels, integer: type === "integer" },
    ];
  } else {
    throw cannot(`it is ${described(field)}`);
  }
  if (instructions === "") {
    throw invalid(
      `${model} asks each output field's description as its question, and the field "${name}" ` +
        'has none: describe it (e.g. z.boolean().describe("Is the message spam?")).',
    );
  }
  return question;
}

/**
 * The questions of an output schema (a JSON Schema object, as Genkit passes
 * it), or a refusal with `INVALID_ARGUMENT` naming the model and the field
 * Clef cannot ask, before any request.
 */
export function questionsOf(model: string, schema: unknown): Questionnaire {
  if (schema === undefined || schema === null) {
    throw invalid(
      `${model} answers questions, and its questions are the fields of the request's output ` +
        "schema; the request has none. Pass output: { schema: z.object({ … }) }: " +
        `${KINDS}.`,
    );
  }
  const properties = isObject(schema) && typeOf(schema) === "object"
    ? schema.properties
    : undefined;
  if (!isObject(properties)) {
    throw invalid(
      `${model} needs an output schema that is an object of fields, one per question; got ` +
        `${isObject(schema) ? described(schema) : typeof schema}. ${KINDS}.`,
    );
  }
  const names = Object.keys(properties);
  if (names.length < MIN_QUESTIONS || names.length > MAX_QUESTIONS) {
    throw invalid(
      `${model} takes ${MIN_QUESTIONS} to ${MAX_QUESTIONS} questions, one per output field; the ` +
        `output schema has ${names.length} fields.`,
    );
  }
  const questions: Record<string, ClefQuestion> = {};
  const asked: Record<string, Asked> = {};
  for (const name of names) {
    if (!QUESTION_ID.test(name)) {
      throw invalid(
        `${model} cannot ask the output field "${
          name.slice(0, 120)
        }": a question's name has 1 to ` +
          "100 letters, digits, '_', '.' or '-'. Rename the field.",
      );
    }
    const field = properties[name];
    if (!isObject(field)) {
      throw invalid(`${model} cannot ask the output field "${name}": it has no schema. ${KINDS}.`);
    }
    [questions[name], asked[name]] = ask(model, name, field);
  }
  return { questions, asked };
}

const probability = (x: unknown) => typeof x === "number" && x >= 0 && x <= 1;
const probabilities = (x: unknown) => isObject(x) && Object.values(x).every(probability);

/** One answer checked against how its field was asked, or `INTERNAL` naming the model. */
function checked(model: string, name: string, how: Asked, a: unknown): ClefAnswer {
  const bad = (what: string) =>
    unexpected(model, `an answer to "${name}" ${what}`, `a ${how.type} answer`);
  if (!isObject(a) || a.type !== how.type) {
    throw bad(isObject(a) ? `of type ${JSON.stringify(a.type)}` : "that is not an object");
  }
  if (how.type === "noul") {
    if (!probability(a.noul)) throw bad("without a probability in noul");
    return a as ClefAnswer;
  }
  if (!probabilities(a.probabilities) || !probability(a.confidence)) {
    throw bad("without probabilities and a confidence");
  }
  if (how.type === "choice" && !how.options.includes(a.choice as string)) {
    throw bad(`choosing ${JSON.stringify(a.choice)}, not one of its options`);
  }
  if (
    how.type === "score" &&
    (typeof a.score !== "number" || a.score < 0 || a.score > how.levels.length - 1)
  ) {
    throw bad(
      `with score ${JSON.stringify(a.score)}, not a level from 0 to ${how.levels.length - 1}`,
    );
  }
  return a as ClefAnswer;
}

/** A field's value from its answer: a boolean at 0.5, the chosen option, the expected score. */
function valueOf(how: Asked, a: ClefAnswer): boolean | string | number {
  if (a.type === "noul") return a.noul >= 0.5;
  if (a.type === "choice") return a.choice;
  const { levels, integer } = how as Extract<Asked, { type: "score" }>;
  const [low, high] = [levels[0], levels[levels.length - 1]];
  const value = low + (a.score / (levels.length - 1)) * (high - low);
  return integer ? Math.round(value) : tidy(Math.min(high, Math.max(low, value)));
}

/**
 * The output of Clef's `answers` (one per question asked, checked), and the
 * answers themselves by field name; a missing or malformed answer is
 * `INTERNAL`, naming the model and the field.
 */
export function outputOf(
  model: string,
  asked: Questionnaire["asked"],
  answers: unknown,
): { output: Record<string, unknown>; answers: Record<string, ClefAnswer> } {
  if (!isObject(answers)) {
    throw unexpected(model, "an answer without answers", "answers by question");
  }
  const output: Record<string, unknown> = {};
  const out: Record<string, ClefAnswer> = {};
  for (const [name, how] of Object.entries(asked)) {
    if (!(name in answers)) throw unexpected(model, `no answer to "${name}"`, "one per question");
    out[name] = checked(model, name, how, answers[name]);
    output[name] = valueOf(how, out[name]);
  }
  return { output, answers: out };
}
