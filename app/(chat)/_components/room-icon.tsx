// The mark before a room's name: "#" for a public room, a lock for a private one (an SVG, so it
// shows on systems without an emoji font), a dot for a DM. Decorative: the name, and an "(private
// room)" for screen readers where it matters, say the rest.
export function RoomIcon({
  kind,
  isPrivate,
  className = "",
}: {
  kind: "channel" | "dm";
  isPrivate?: boolean;
  className?: string;
}) {
  if (kind === "channel" && isPrivate) {
    return (
      <svg
        aria-hidden
        viewBox="0 0 16 16"
        data-icon="lock"
        className={`inline-block size-[0.9em] -translate-y-px align-baseline ${className}`}
        fill="currentColor"
      >
        <path d="M8 1.5a3.5 3.5 0 0 0-3.5 3.5v2H4a1.5 1.5 0 0 0-1.5 1.5v5A1.5 1.5 0 0 0 4 15h8a1.5 1.5 0 0 0 1.5-1.5v-5A1.5 1.5 0 0 0 12 7h-.5V5A3.5 3.5 0 0 0 8 1.5ZM6 5a2 2 0 1 1 4 0v2H6V5Z" />
      </svg>
    );
  }
  return (
    <span aria-hidden className={className}>
      {kind === "dm" ? "●" : "#"}
    </span>
  );
}
