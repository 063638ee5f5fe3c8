/**
 * Request counters, for tests and benchmarks to assert how a client used the API.
 */

export class RequestStats {
  total = 0;
  /** Route label (e.g. 'GET /contacts/{id}') to count; unmatched paths count under `${method} (unmatched)`. */
  readonly byRoute = new Map<string, number>();
  /** HTTP status to count; 0 counts requests answered with no response at all (reset, stall). */
  readonly byStatus = new Map<number, number>();

  /** Counts a request on its route and returns how many calls that route has had (this one included). */
  countRoute(route: string): number {
    this.total++;
    const n = (this.byRoute.get(route) ?? 0) + 1;
    this.byRoute.set(route, n);
    return n;
  }

  countStatus(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.byRoute.clear();
    this.byStatus.clear();
  }
}
