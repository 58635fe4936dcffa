#!/usr/bin/env python3
"""An independent reader of LLM API response bodies, written from the providers' documentation, not from Bench's code.

It reads a recorded body (Server-Sent Events, or one JSON object, or Gemini's JSON array) of any of the four protocols
Bench speaks and reconstructs what `bench inspect --json` reports: protocol, content, reasoning, tool calls (name and
argument text), finish reason, usage (prompt, completion, reasoning, cached, cache-write tokens), error. `check.py`
compares the two field by field.

Sources (read 2026-11-30):
  Chat Completions streaming  https://platform.openai.com/docs/api-reference/chat-streaming
  Responses streaming         https://platform.openai.com/docs/api-reference/responses-streaming
  Anthropic Messages stream   https://docs.anthropic.com/en/docs/build-with-claude/streaming
  Gemini generateContent      https://ai.google.dev/api/generate-content

Token meaning (Bench's, README "Protocols"): prompt = every input token, cached (cache reads) and cache-write tokens
included; completion = every generated token, reasoning included.
Usage: python3 reader.py FILE   -> prints the reconstruction as JSON
"""
import json
import sys


def sse_events(text):
    """(event name, data) pairs per the WHATWG SSE rules: fields per line, data lines joined with \\n, an event
    dispatched at a blank line; comments (':') skipped; a trailing event without its blank line is not dispatched."""
    event, data = "message", []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw == "":
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
            continue
        if raw.startswith(":"):
            continue
        name, _, value = raw.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value


def detect(text):
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        try:
            body = json.loads(stripped)
        except ValueError:
            body = None
        first = body[0] if isinstance(body, list) and body else body
        if isinstance(first, dict):
            if "candidates" in first or "usageMetadata" in first or "promptFeedback" in first:
                return "gemini"
            if first.get("object") == "response" or "output" in first:
                return "openai-responses"
            if first.get("type") == "message" or "stop_reason" in first:
                return "anthropic-messages"
            if "choices" in first:
                return "openai-chat"
    for name, data in sse_events(text):
        if name.startswith("message_") or name.startswith("content_block_"):
            return "anthropic-messages"
        if name.startswith("response."):
            return "openai-responses"
        try:
            payload = json.loads(data)
        except ValueError:
            continue
        if not isinstance(payload, dict):
            continue
        kind = str(payload.get("type", ""))
        if kind.startswith("response."):
            return "openai-responses"
        if kind.startswith("message_") or kind.startswith("content_block_"):
            return "anthropic-messages"
        if "candidates" in payload or "usageMetadata" in payload:
            return "gemini"
        if "choices" in payload or payload.get("object") == "chat.completion.chunk":
            return "openai-chat"
    return "openai-chat"


def empty(protocol):
    return {"protocol": protocol, "content": "", "reasoning": "", "tool_calls": [], "finish_reason": None,
            "usage": {"prompt_tokens": None, "completion_tokens": None, "reasoning_tokens": None,
                      "cached_tokens": None, "cache_write_tokens": None},
            "error": None, "done": False}


def read_chat(text):
    out = empty("openai-chat")
    calls = {}
    for name, data in sse_events(text):
        if data.strip() == "[DONE]":
            out["done"] = True
            break
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        if name == "error" or (isinstance(chunk, dict) and "error" in chunk and "choices" not in chunk):
            err = chunk.get("error", chunk) if isinstance(chunk, dict) else {}
            out["error"] = {"type": err.get("type"), "code": err.get("code"), "message": err.get("message")}
            continue
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            out["content"] += delta.get("content") or ""
            out["reasoning"] += delta.get("reasoning_content") or delta.get("reasoning") or ""
            for call in delta.get("tool_calls") or []:
                entry = calls.setdefault(call.get("index", 0), {"name": None, "arguments": ""})
                fn = call.get("function") or {}
                if fn.get("name"):
                    entry["name"] = fn["name"]
                entry["arguments"] += fn.get("arguments") or ""
            if choice.get("finish_reason"):
                out["finish_reason"] = choice["finish_reason"]
        usage = chunk.get("usage") or (chunk.get("x_groq") or {}).get("usage")
        if usage:
            out["usage"]["prompt_tokens"] = usage.get("prompt_tokens")
            out["usage"]["completion_tokens"] = usage.get("completion_tokens")
            out["usage"]["reasoning_tokens"] = (usage.get("completion_tokens_details") or {}).get("reasoning_tokens")
            out["usage"]["cached_tokens"] = (usage.get("prompt_tokens_details") or {}).get("cached_tokens")
    out["tool_calls"] = [calls[k] for k in sorted(calls)]
    return out


def responses_usage(out, response):
    usage = response.get("usage")
    if usage:
        out["usage"]["prompt_tokens"] = usage.get("input_tokens")
        out["usage"]["completion_tokens"] = usage.get("output_tokens")
        out["usage"]["reasoning_tokens"] = (usage.get("output_tokens_details") or {}).get("reasoning_tokens")
        details = usage.get("input_tokens_details") or {}
        out["usage"]["cached_tokens"] = details.get("cached_tokens")
        out["usage"]["cache_write_tokens"] = details.get("cache_write_tokens")
    status = response.get("status")
    if status == "incomplete":
        out["finish_reason"] = (response.get("incomplete_details") or {}).get("reason") or "incomplete"
    elif status:
        out["finish_reason"] = status
    if response.get("error"):
        err = response["error"]
        out["error"] = {"type": err.get("type"), "code": err.get("code"), "message": err.get("message")}


def read_responses(text):
    out = empty("openai-responses")
    calls = {}
    stripped = text.lstrip()
    if stripped.startswith("{"):
        response = json.loads(stripped)
        for item in response.get("output") or []:
            if item.get("type") == "message":
                for part in item.get("content") or []:
                    if part.get("type") == "output_text":
                        out["content"] += part.get("text") or ""
            elif item.get("type") == "reasoning":
                for part in item.get("summary") or []:
                    out["reasoning"] += part.get("text") or ""
                for part in item.get("content") or []:
                    out["reasoning"] += part.get("text") or ""
            elif item.get("type") == "function_call":
                out["tool_calls"].append({"name": item.get("name"), "arguments": item.get("arguments") or ""})
        responses_usage(out, response)
        out["done"] = True
        return out
    for name, data in sse_events(text):
        try:
            event = json.loads(data)
        except ValueError:
            continue
        kind = event.get("type", name)
        if kind == "response.output_text.delta":
            out["content"] += event.get("delta") or ""
        elif kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            out["reasoning"] += event.get("delta") or ""
        elif kind == "response.output_item.added" and (event.get("item") or {}).get("type") == "function_call":
            item = event["item"]
            calls[event.get("output_index")] = {"name": item.get("name"), "arguments": ""}
        elif kind == "response.function_call_arguments.delta":
            calls.setdefault(event.get("output_index"), {"name": None, "arguments": ""})["arguments"] += event.get("delta") or ""
        elif kind in ("response.completed", "response.incomplete", "response.failed"):
            responses_usage(out, event.get("response") or {})
            out["done"] = True
        elif kind == "error":
            out["error"] = {"type": event.get("type"), "code": event.get("code"), "message": event.get("message")}
    out["tool_calls"] = [calls[k] for k in sorted(calls, key=lambda k: (k is None, k))]
    return out


def anthropic_usage(out, usage, final):
    """message_start carries input and cache counts; message_delta's counts are cumulative and win when present."""
    state = out.setdefault("_usage", {})
    for key in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens"):
        if usage.get(key) is not None:
            state[key] = usage[key]
    inputs = [state.get(k) for k in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")]
    if any(v is not None for v in inputs):
        out["usage"]["prompt_tokens"] = sum(v or 0 for v in inputs)
    out["usage"]["cached_tokens"] = state.get("cache_read_input_tokens")
    out["usage"]["cache_write_tokens"] = state.get("cache_creation_input_tokens")
    out["usage"]["completion_tokens"] = state.get("output_tokens")


def read_anthropic(text):
    out = empty("anthropic-messages")
    blocks = {}
    stripped = text.lstrip()
    if stripped.startswith("{"):
        message = json.loads(stripped)
        if message.get("type") == "error":
            err = message.get("error") or {}
            out["error"] = {"type": err.get("type"), "code": None, "message": err.get("message")}
            return out
        for block in message.get("content") or []:
            if block.get("type") == "text":
                out["content"] += block.get("text") or ""
            elif block.get("type") == "thinking":
                out["reasoning"] += block.get("thinking") or ""
            elif block.get("type") in ("tool_use", "server_tool_use"):
                out["tool_calls"].append({"name": block.get("name"), "arguments": json.dumps(block.get("input"), separators=(",", ":"))})
        out["finish_reason"] = message.get("stop_reason")
        anthropic_usage(out, message.get("usage") or {}, True)
        out["done"] = True
        out.pop("_usage", None)
        return out
    order = []
    for name, data in sse_events(text):
        try:
            event = json.loads(data)
        except ValueError:
            continue
        kind = event.get("type", name)
        if kind == "message_start":
            anthropic_usage(out, (event.get("message") or {}).get("usage") or {}, False)
        elif kind == "content_block_start":
            block = event.get("content_block") or {}
            if block.get("type") in ("tool_use", "server_tool_use"):
                blocks[event.get("index")] = {"name": block.get("name"), "arguments": ""}
                order.append(event.get("index"))
            elif block.get("type") == "text" and block.get("text"):
                out["content"] += block["text"]
        elif kind == "content_block_delta":
            delta = event.get("delta") or {}
            if delta.get("type") == "text_delta":
                out["content"] += delta.get("text") or ""
            elif delta.get("type") == "thinking_delta":
                out["reasoning"] += delta.get("thinking") or ""
            elif delta.get("type") == "input_json_delta" and event.get("index") in blocks:
                blocks[event.get("index")]["arguments"] += delta.get("partial_json") or ""
        elif kind == "message_delta":
            if (event.get("delta") or {}).get("stop_reason"):
                out["finish_reason"] = event["delta"]["stop_reason"]
            anthropic_usage(out, event.get("usage") or {}, True)
        elif kind == "message_stop":
            out["done"] = True
        elif kind == "error":
            err = event.get("error") or {}
            out["error"] = {"type": err.get("type"), "code": None, "message": err.get("message")}
    out["tool_calls"] = [blocks[i] for i in order]
    out.pop("_usage", None)
    return out


def gemini_chunk(out, chunk):
    if chunk.get("error"):
        err = chunk["error"]
        out["error"] = {"type": err.get("status"), "code": err.get("code"), "message": err.get("message")}
        return
    feedback = chunk.get("promptFeedback") or {}
    if feedback.get("blockReason"):
        out["error"] = {"type": "prompt_blocked", "code": feedback["blockReason"], "message": None}
    for candidate in (chunk.get("candidates") or [])[:1]:
        for part in (candidate.get("content") or {}).get("parts") or []:
            if "text" in part:
                if part.get("thought"):
                    out["reasoning"] += part["text"] or ""
                else:
                    out["content"] += part["text"] or ""
            if "functionCall" in part:
                call = part["functionCall"]
                out["tool_calls"].append({"name": call.get("name"), "arguments": json.dumps(call.get("args"), separators=(",", ":"))})
        if candidate.get("finishReason"):
            out["finish_reason"] = candidate["finishReason"]
    usage = chunk.get("usageMetadata")
    if usage:
        out["usage"]["prompt_tokens"] = usage.get("promptTokenCount")
        thoughts = usage.get("thoughtsTokenCount")
        candidates = usage.get("candidatesTokenCount")
        out["usage"]["completion_tokens"] = None if candidates is None and thoughts is None else (candidates or 0) + (thoughts or 0)
        out["usage"]["reasoning_tokens"] = thoughts
        out["usage"]["cached_tokens"] = usage.get("cachedContentTokenCount")


def read_gemini(text):
    out = empty("gemini")
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith("{"):
        body = json.loads(stripped)
        for chunk in body if isinstance(body, list) else [body]:
            gemini_chunk(out, chunk)
    else:
        for _, data in sse_events(text):
            try:
                gemini_chunk(out, json.loads(data))
            except ValueError:
                continue
    out["done"] = out["finish_reason"] is not None
    return out


READERS = {"openai-chat": read_chat, "openai-responses": read_responses,
           "anthropic-messages": read_anthropic, "gemini": read_gemini}


def read(path, protocol=None):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    protocol = protocol or detect(text)
    return READERS[protocol](text)


if __name__ == "__main__":
    print(json.dumps(read(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None), indent=2, ensure_ascii=False))
