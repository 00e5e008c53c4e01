/** Douglas–Peucker line simplification and coordinate rounding, for the bundled boundary layer. */
type Pt = [number, number];

function perpendicularDistance(p: Pt, a: Pt, b: Pt): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

export function simplifyLine(points: Pt[], tolerance: number): Pt[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    let worst = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicularDistance(points[i]!, points[first]!, points[last]!);
      if (d > worst) [worst, index] = [d, i];
    }
    if (index >= 0 && worst > tolerance) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** A closed ring stays closed and keeps at least 4 positions (GeoJSON); tiny islands are dropped (null). */
export function simplifyRing(ring: Pt[], tolerance: number, digits: number): Pt[] | null {
  const f = 10 ** digits;
  const rounded = simplifyLine(ring, tolerance).map(([x, y]) => [Math.round(x * f) / f, Math.round(y * f) / f] as Pt);
  const deduped = rounded.filter((p, i) => i === 0 || p[0] !== rounded[i - 1]![0] || p[1] !== rounded[i - 1]![1]);
  return deduped.length >= 4 ? deduped : null;
}
