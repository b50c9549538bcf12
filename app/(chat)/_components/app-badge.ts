// The installed app's icon badge (Badging API, Chromium and Safari): the unread count the sidebar
// shows in the title, cleared at 0 and on sign-out.

/** Sets the badge to `count`, or clears it at 0. Best effort: the platform may refuse or lack it. */
export function setAppBadge(count: number): void {
  if (typeof navigator === "undefined" || !("setAppBadge" in navigator)) return;
  void (count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge()).catch(() => {});
}
