namespace Mode.Generators.Helpers;

/// <summary>
/// Combines hash codes (netstandard2.0 has no <c>System.HashCode</c>). The same inputs give the same
/// result in every process, which keeps generator state comparisons stable.
/// </summary>
internal static class HashCombiner
{
    public const int Seed = 17;

    public static int Combine(int hash, int value)
    {
        unchecked
        {
            return (hash * 31) + value;
        }
    }
}
