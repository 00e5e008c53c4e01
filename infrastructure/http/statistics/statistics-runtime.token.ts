/** The composed statistics runtime (counters, report jobs) for the statistics controllers. */
export const STATISTICS_RUNTIME = Symbol('StatisticsRuntime');
