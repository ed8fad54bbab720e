/** The bootstrap admin token of the benchmark server. */
export const BENCH_TOKEN = 'CFPAT-benchmark-token-0000000000000000000000';
