namespace Mode.Benchmarks;

internal static class Micro
{
    public static void Run(string[] args)
    {
    }
}
