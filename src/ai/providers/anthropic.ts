/**
 * Claude through the official SDK's Messages API. One request per `send`: the SDK's own retries
 * are off (maxRetries 0) because src/ai/client.ts retries, counts attempts and backs off itself.
 * SDK errors become ProviderErrors with the API key scrubbed from every message.
 *
 * No `temperature` is sent: SDK 1.x speaks API version 2026-10-21, which rejects temperature,
 * top_p and top_k with a 400 on every model (even at their defaults). ChatRequest.temperature
 * still keys the response cache; OpenAI-compatible providers send it.
 *
 * Current Claude models think between tool calls: the response's content blocks are returned
 * as `replay`, and an assistant message carrying them is sent back verbatim (signed thinking
 * blocks must come back unmodified, or the next turn fails).
 */
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  ProviderError,
  type ChatMessage,
  type ChatProvider,
  type ChatRequest,
  type ChatResponse,
  type ToolCall,
} from '../types.js';
import { hostOf, isRetryableStatus, isTimeoutReason, redact, retryAfterSeconds } from './http.js';

export interface AnthropicProviderOptions {
  apiKey: string;
  model: string;
  /** Without it, https://api.anthropic.com (the SDK appends /v1/messages). */
  baseUrl?: string | null;
  timeoutMs: number;
}

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export function createAnthropicProvider(options: AnthropicProviderOptions): ChatProvider {
  const client = new Anthropic({
    apiKey: options.apiKey,
    // Only the key we were given: an ANTHROPIC_AUTH_TOKEN in the environment must not ride along.
    authToken: null,
    baseURL: options.baseUrl || DEFAULT_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  const model = options.model;
  return {
    name: 'anthropic',
    model,
    async send(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
      let message: Anthropic.Message;
      try {
        message = await client.messages.create(
          {
            model,
            max_tokens: request.maxTokens,
            ...(request.system ? { system: request.system } : {}),
            messages: toAnthropicMessages(request.messages),
            ...(request.tools.length > 0
              ? {
                  tools: request.tools.map((tool) => ({
                    name: tool.name,
                    description: tool.description,
                    input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
                  })),
                }
              : {}),
          },
          { signal },
        );
      } catch (error) {
        throw toProviderError(error, signal, options);
      }
      return fromAnthropicMessage(message, model);
    },
  };
}

function toAnthropicMessages(messages: ChatMessage[]): Anthropic.MessageParam[] {
  return messages.map((message): Anthropic.MessageParam => {
    switch (message.role) {
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant': {
        if (message.replay && message.replay.length > 0) {
          return { role: 'assistant', content: message.replay as Anthropic.ContentBlockParam[] };
        }
        const blocks: Anthropic.ContentBlockParam[] = [];
        if (message.content !== '') blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.input ?? {} });
        }
        return { role: 'assistant', content: blocks.length > 0 ? blocks : message.content };
      }
      case 'tool':
        return {
          role: 'user',
          content: message.results.map((result): Anthropic.ToolResultBlockParam => ({
            type: 'tool_result',
            tool_use_id: result.toolCallId,
            content: result.content,
            is_error: result.isError,
          })),
        };
    }
  });
}

function fromAnthropicMessage(message: Anthropic.Message, model: string): ChatResponse {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      const input = block.input;
      const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
      toolCalls.push({
        id: block.id,
        name: block.name,
        input: isObject ? (input as Record<string, unknown>) : null,
        rawInput: JSON.stringify(input ?? null),
      });
    }
  }
  const usage = message.usage;
  return {
    text: texts.join('\n'),
    toolCalls,
    stopReason: mapStopReason(message.stop_reason),
    usage: {
      // Prompt-cache reads and writes are input too (we set no cache_control, so both are 0).
      inputTokens:
        (usage?.input_tokens ?? 0) +
        (usage?.cache_creation_input_tokens ?? 0) +
        (usage?.cache_read_input_tokens ?? 0),
      outputTokens: usage?.output_tokens ?? 0,
    },
    model: message.model || model,
    replay: message.content as unknown[],
  };
}

function mapStopReason(reason: string | null | undefined): ChatResponse['stopReason'] {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
}

function toProviderError(
  error: unknown,
  signal: AbortSignal,
  options: AnthropicProviderOptions,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const scrub = (text: string): string => redact(text, options.apiKey);
  if (error instanceof APIUserAbortError || signal.aborted) {
    const timedOut = isTimeoutReason(signal.reason);
    return new ProviderError(
      timedOut ? 'anthropic: no answer before the request timed out' : 'anthropic: request cancelled',
      null,
      timedOut,
    );
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError(`anthropic: no answer within ${options.timeoutMs} ms (timeout)`, null, true);
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ProviderError(
      scrub(`anthropic: connection failed (${hostOf(options.baseUrl, DEFAULT_BASE_URL)})${cause}`),
      null,
      true,
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const retryable = isRetryableStatus(status);
    const detail = error.apiMessage ?? error.message;
    return new ProviderError(
      scrub(`anthropic: HTTP ${status}${detail ? `: ${detail}` : ''}`),
      status,
      retryable,
      retryAfterSeconds(error.headers),
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ProviderError(scrub(`anthropic: ${text}`), null, false);
}
