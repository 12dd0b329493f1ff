import { ExitCode, SchemapilotError } from '../core/errors.js';

/**
 * The model behind the optional AI features, reduced to what schemapilot needs: a chat turn
 * with tools. Providers (Anthropic Messages, OpenAI-compatible Chat Completions) translate to
 * and from their own wire format; everything above them (the agent, explanations, the cache,
 * accounting) sees only these types. The model never decides safety: src/ai/agent.ts hands
 * everything it proposes to the engine.
 */

export type ChatRole = 'user' | 'assistant';

/** A tool the model may call; `inputSchema` is JSON Schema (object). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  /** Provider's id, echoed back with the result. */
  id: string;
  name: string;
  /** Parsed arguments; null when the model sent text that is not a JSON object. */
  input: Record<string, unknown> | null;
  /** The raw argument text, for error messages and repairs. */
  rawInput: string;
}

export interface ToolResult {
  toolCallId: string;
  /** JSON text (or plain text) returned to the model. */
  content: string;
  isError: boolean;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string;
      toolCalls: ToolCall[];
      /** ChatResponse.replay of the turn, passed back as is (see there). */
      replay?: unknown[];
    }
  | { role: 'tool'; results: ToolResult[] };

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** Always 0 unless a caller has a reason: answers must be repeatable (and cacheable). */
  temperature: number;
  maxTokens: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  text: string;
  toolCalls: ToolCall[];
  stopReason: 'end' | 'tool_use' | 'max_tokens' | 'other';
  usage: Usage;
  /** The model id the server says answered. */
  model: string;
  /**
   * The provider's own content blocks of this turn, to be sent back verbatim when the turn is
   * replayed (copy it into the assistant ChatMessage). Anthropic needs it: current Claude models
   * think between tool calls, and their signed thinking blocks must come back unmodified with
   * the tool_use blocks, or the next request fails.
   */
  replay?: unknown[];
}

/** One call as accounted for: shown in the output, summed per command. */
export interface CallRecord {
  provider: string;
  model: string;
  usage: Usage;
  /** USD, from the prices in config; null when no price is configured for the model. */
  costUsd: number | null;
  /** Served from the response cache (no request was sent, nothing was paid). */
  cached: boolean;
  durationMs: number;
  /** Attempts made (retries on 429/5xx/timeouts included). */
  attempts: number;
}

export interface ChatProvider {
  /** `anthropic` or `openai` (any OpenAI-compatible endpoint). */
  readonly name: string;
  readonly model: string;
  /** One request, no retries (the caller retries); throws ProviderError. */
  send(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse>;
}

/** A provider failure with what the retry policy needs. */
export class ProviderError extends SchemapilotError {
  constructor(
    message: string,
    /** HTTP status, when there was a response. */
    readonly status: number | null,
    /** 429, 5xx, timeouts and dropped connections are worth retrying; 400/401/403/404 are not. */
    readonly retryable: boolean,
    /** Seconds the server asked us to wait (retry-after), when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    // Exit code 2, like an unreachable database: the provider's configuration or reachability.
    super(`AI provider: ${message}`, { exitCode: ExitCode.usage });
    this.name = 'ProviderError';
  }
}

/**
 * What the agent and the prose features use: a provider wrapped with timeouts, retries on
 * 429/5xx, the response cache and accounting (src/ai/client.ts). `calls` lists every call made
 * through it, for the summary a command prints.
 */
export interface AiClient {
  readonly provider: string;
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
  readonly calls: CallRecord[];
}

/** The model's output could not be used (malformed after retries, or no answer in time). */
export class AiOutputError extends SchemapilotError {
  constructor(message: string) {
    // Exit code 1: nothing usable came out, so nothing can be called safe.
    super(message, { exitCode: ExitCode.unsafe });
    this.name = 'AiOutputError';
  }
}
