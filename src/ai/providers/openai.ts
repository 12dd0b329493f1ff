/**
 * OpenAI Chat Completions through the official SDK, and with it any OpenAI-compatible server
 * (Ollama at http://localhost:11434/v1, vLLM, LM Studio): the base URL ends in /v1, the SDK
 * appends /chat/completions; local servers accept any key. One request per `send` (the SDK's
 * retries are off; src/ai/client.ts retries). Tool arguments arrive as JSON text: anything that
 * is not a JSON object becomes `input: null` with the text kept in `rawInput`, so the agent can
 * ask the model to repair it.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  ProviderError,
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  type ToolCall,
} from '../types.js';
import { hostOf, isRetryableStatus, isTimeoutReason, redact, retryAfterSeconds } from './http.js';

export interface OpenAiProviderOptions {
  /** Any non-empty string for servers that do not check keys (Ollama, LM Studio). */
  apiKey: string;
  model: string;
  /** Without it, https://api.openai.com/v1. */
  baseUrl?: string | null;
  timeoutMs: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function createOpenAiProvider(options: OpenAiProviderOptions): ChatProvider {
  const baseURL = options.baseUrl || DEFAULT_BASE_URL;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    // OPENAI_ORG_ID / OPENAI_PROJECT from the environment belong to OpenAI, not to whatever
    // compatible server the base URL names.
    organization: null,
    project: null,
  });
  const model = options.model;
  return {
    name: 'openai',
    model,
    async send(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model,
            messages: toOpenAiMessages(request),
            temperature: request.temperature,
            // `max_tokens` rather than `max_completion_tokens`: every compatible server knows it.
            max_tokens: request.maxTokens,
            ...(request.tools.length > 0
              ? {
                  tools: request.tools.map((tool): OpenAI.Chat.Completions.ChatCompletionFunctionTool => ({
                    type: 'function',
                    function: {
                      name: tool.name,
                      description: tool.description,
                      parameters: tool.inputSchema,
                    },
                  })),
                }
              : {}),
          },
          { signal },
        );
      } catch (error) {
        throw toProviderError(error, signal, options);
      }
      return fromCompletion(completion, model, options);
    },
  };
}

function toOpenAiMessages(request: ChatRequest): WireMessage[] {
  const out: WireMessage[] = [];
  if (request.system) out.push({ role: 'system', content: request.system });
  for (const message of request.messages as ChatMessage[]) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: message.content === '' && message.toolCalls.length > 0 ? null : message.content,
          ...(message.toolCalls.length > 0
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: {
                    name: call.name,
                    // Echo what the model sent (even malformed), so the repair request makes sense.
                    arguments: call.rawInput !== '' ? call.rawInput : JSON.stringify(call.input ?? {}),
                  },
                })),
              }
            : {}),
        });
        break;
      case 'tool':
        // Chat Completions has no error flag on tool messages: say it in the content.
        for (const result of message.results) {
          out.push({
            role: 'tool',
            tool_call_id: result.toolCallId,
            content: result.isError ? `ERROR: ${result.content}` : result.content,
          });
        }
        break;
    }
  }
  return out;
}

function fromCompletion(
  completion: OpenAI.Chat.Completions.ChatCompletion,
  model: string,
  options: OpenAiProviderOptions,
): ChatResponse {
  const choice = completion.choices?.[0];
  if (!choice) {
    throw new ProviderError(
      `openai: the response from ${hostOf(options.baseUrl, DEFAULT_BASE_URL)} has no choices`,
      null,
      false,
    );
  }
  const toolCalls: ToolCall[] = [];
  for (const call of choice.message.tool_calls ?? []) {
    if (call.type !== 'function') continue;
    const raw = call.function.arguments ?? '';
    toolCalls.push({ id: call.id, name: call.function.name, input: parseArguments(raw), rawInput: raw });
  }
  return {
    text: choice.message.content ?? '',
    toolCalls,
    stopReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    },
    model: completion.model || model,
  };
}

/** A JSON object, or null (malformed JSON, an array, a string...). Empty text means no arguments. */
export function parseArguments(raw: string): Record<string, unknown> | null {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function mapFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): ChatResponse['stopReason'] {
  switch (reason) {
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'stop':
      // Some compatible servers (older Ollama) say `stop` while returning tool calls.
      return hasToolCalls ? 'tool_use' : 'end';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
}

function toProviderError(error: unknown, signal: AbortSignal, options: OpenAiProviderOptions): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string): string => redact(text, options.apiKey);
  if (error instanceof APIUserAbortError || signal.aborted) {
    const timedOut = isTimeoutReason(signal.reason);
    return new ProviderError(
      timedOut ? 'openai: no answer before the request timed out' : 'openai: request cancelled',
      null,
      timedOut,
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(`openai: no answer within ${options.timeoutMs} ms (timeout)`, null, true);
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ProviderError(
      scrub(`openai: connection failed (${hostOf(options.baseUrl, DEFAULT_BASE_URL)})${cause}`),
      null,
      true,
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const retryable = isRetryableStatus(status);
    return new ProviderError(
      scrub(`openai: HTTP ${status}: ${error.message}`),
      status,
      retryable,
      retryAfterSeconds(error.headers),
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ProviderError(scrub(`openai: ${text}`), null, false);
}
