process.env.BENCH_MESSAGES = process.argv[2] ?? '50000';
const { benchEmulate } = await import('../dist/bench/emulate.js');
