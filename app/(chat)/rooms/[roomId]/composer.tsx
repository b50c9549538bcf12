"use client";
// Message composer: Enter sends, Shift+Enter adds a line; empty messages cannot be sent and the
// length limit is enforced with the server's own schema.
import { type FormEvent, type KeyboardEvent, useRef, useState } from "react";
import { MAX_MESSAGE_LENGTH, messageBodySchema } from "@/lib/messages/messages.schema";

export function Composer({
  roomName,
  onSend,
  onTyping,
  typingLabel,
}: {
  roomName: string;
  onSend: (body: string) => void;
  onTyping?: (text: string) => void;
  typingLabel?: string;
}) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLTextAreaElement>(null);
  const length = value.trim().length;
  const tooLong = length > MAX_MESSAGE_LENGTH;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    const parsed = messageBodySchema.safeParse(value);
    if (!parsed.success) {
      if (value.trim() === "") return; // nothing to send
      setError(parsed.error.issues[0]?.message ?? "This message cannot be sent");
      return;
    }
    setError(undefined);
    onSend(parsed.data);
    setValue("");
    onTyping?.("");
    requestAnimationFrame(() => ref.current?.focus());
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form onSubmit={submit} className="border-t border-zinc-200 px-4 pb-4 pt-1 dark:border-zinc-800">
      <p aria-live="polite" className="h-5 truncate text-xs italic text-zinc-500" data-testid="typing">
        {typingLabel}
      </p>
      <div className="flex items-end gap-2 rounded-lg border border-zinc-300 bg-white p-2 focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900">
        <textarea
          ref={ref}
          aria-label="Message"
          placeholder={`Message #${roomName}`}
          value={value}
          rows={1}
          onChange={(e) => {
            setValue(e.target.value);
            onTyping?.(e.target.value);
            if (error) setError(undefined);
          }}
          onKeyDown={onKeyDown}
          aria-invalid={tooLong || Boolean(error)}
          aria-describedby="composer-help"
          className="max-h-48 min-h-[1.5rem] flex-1 resize-none bg-transparent px-1 text-sm leading-6 outline-none [field-sizing:content] focus-visible:outline-none"
        />
        <button type="submit" className="btn-primary" disabled={length === 0}>
          Send
        </button>
      </div>
      <div id="composer-help" className="mt-1 flex justify-between gap-2 text-xs text-zinc-500">
        {error || tooLong ? (
          <span role="alert" className="text-red-600 dark:text-red-400">
            {tooLong
              ? `Message is too long (${length.toLocaleString("en-US")} / ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters)`
              : error}
          </span>
        ) : (
          <span className="hidden sm:inline">Enter to send · Shift+Enter for a new line</span>
        )}
        {length > MAX_MESSAGE_LENGTH - 500 && !tooLong && (
          <span>{(MAX_MESSAGE_LENGTH - length).toLocaleString("en-US")} characters left</span>
        )}
      </div>
    </form>
  );
}
