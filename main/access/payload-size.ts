/**
 * A bound on what one request may carry (runtime: anywhere, pure). WebSocket frames are bounded by
 * their byte length (ws's maxPayload); an IPC payload arrives already deserialized (a structured
 * clone, which may even hold cycles), so it is measured by walking it, stopping as soon as it is over
 * the budget, and never recursing (a deeply nested payload can't overflow main's stack).
 */
export const MAX_REQUEST_BYTES = 64 * 1024;
export const MAX_REQUEST_DEPTH = 32;

/** Why `value` is over the budget (about its JSON size, or its nesting), or null when it is within it. */
export function oversized(value: unknown, maxBytes = MAX_REQUEST_BYTES, maxDepth = MAX_REQUEST_DEPTH): string | null {
  let bytes = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    if (typeof v === 'string') bytes += v.length + 2;
    else if (v !== null && typeof v === 'object') {
      bytes += 2;
      if (ArrayBuffer.isView(v)) bytes += v.byteLength;
      else if (v instanceof ArrayBuffer) bytes += v.byteLength;
      else
        for (const [k, child] of Object.entries(v)) {
          bytes += k.length + 4;
          if (bytes > maxBytes) break;
          stack.push([child, depth + 1]);
        }
    } else bytes += 8;
    if (bytes > maxBytes) return `larger than ${maxBytes / 1024} KiB`;
  }
  return null;
}
