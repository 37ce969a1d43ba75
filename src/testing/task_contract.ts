/**
 * The contract every emulated task (text generation, embeddings, reranking,
 * ...) fulfils. It imports no task, so that the registry (tasks.ts) and every
 * task can import it without a cycle.
 *
 * @module
 */
import type { ModelObject } from "./model_object.ts";
import type { EmulatorState } from "./state.ts";

/**
 * The endpoint a model request came through: `/ai/run/{model}` (or its
 * gateway form), `/ai/v1/chat/completions` or `/ai/v1/embeddings`.
 */
export type ModelOp = "run" | "chat-completions" | "embeddings";

/**
 * A request body as a task receives it, told apart by its `content-type`:
 * JSON (`value` is `undefined` for an empty body), a parsed
 * `multipart/form-data` form, or raw bytes of any other media type.
 */
export type TaskBody =
  | { kind: "json"; value: unknown }
  | { kind: "form"; form: FormData }
  | { kind: "bytes"; bytes: Uint8Array; contentType: string };

/** What a task gets to answer one model request. */
export interface TaskContext {
  /** The model id (from the path, or from the body on `/ai/v1/*`). */
  readonly model: string;
  /** The endpoint the request came through. */
  readonly op: ModelOp;
  /** The request body. */
  readonly body: TaskBody;
  /** The query string (options some models take there, e.g. nova-3's). */
  readonly query: URLSearchParams;
  /** The emulator's state, for tasks that keep some (ids, agreements). */
  readonly state: EmulatorState;
  /**
   * Whether a scripted fault asks that a streaming request be answered with
   * the ordinary JSON answer: a task that would answer `events` answers
   * `result` instead.
   */
  readonly jsonForStream: boolean;
  /** The request's `x-session-affinity` header, when it had one (prompt caching). */
  readonly affinity?: string;
}

/**
 * A task's answer: a JSON `result` (wrapped in the success envelope on
 * `/ai/run`, bare on `/ai/v1/*`), the data `events` of a server-sent event
 * stream (the emulator adds `[DONE]` and applies stream faults), or raw
 * `bytes` with their content type (binary images and audio, no envelope).
 * Refusals are thrown as `ApiError`s.
 */
export type TaskAnswer =
  | { result: unknown }
  | { events: readonly unknown[] }
  | { bytes: Uint8Array; contentType: string };

/** One emulated Workers AI task. */
export interface EmulatorTask {
  /** Short name, e.g. `"text"`, `"embed"`, `"rerank"`. */
  readonly name: string;
  /** Whether it serves this model through this endpoint. */
  handles(model: string, op: ModelOp): boolean;
  /** Answers a request it handles; throws an `ApiError` to refuse it. */
  answer(ctx: TaskContext): TaskAnswer;
  /** The model-search objects of the models it serves, in a stable order. */
  models(): readonly ModelObject[];
}
