// Benchmarks: mpsc throughput and stream pipeline (to be written).
int main() { return 0; }
