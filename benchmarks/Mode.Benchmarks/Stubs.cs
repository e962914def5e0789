namespace Mode.Benchmarks;

internal static class CompilationScenarios
{
    public static Task<IEnumerable<Row>> RunAsync(RunOptions options) => Task.FromResult<IEnumerable<Row>>([]);
}

internal static class AotScenarios
{
    public static Task<IEnumerable<Row>> RunAsync(RunOptions options) => Task.FromResult<IEnumerable<Row>>([]);
}

internal static class Micro
{
    public static void Run(string[] args)
    {
    }
}
