process.env.BENCH_ONLY_A = '1';
