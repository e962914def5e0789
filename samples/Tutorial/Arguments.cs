using System.Globalization;

namespace Tutorial;

/// <summary>Parsing of the tutorial's option values; an exception here makes the Worker print usage and exit 2.</summary>
internal static class Arguments
{
    public static int Port(string value)
    {
        var port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        ArgumentOutOfRangeException.ThrowIfZero(port, nameof(value));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(value));
        return port;
    }

    /// <summary>An address for an <see cref="System.Net.HttpListener"/> prefix ("+" means every address).</summary>
    public static string Host(string value) => value switch
    {
        "" => throw new FormatException("the address is empty"),
        "0.0.0.0" or "*" or "+" or "::" => "+",
        _ when value.Contains(':', StringComparison.Ordinal) && !value.StartsWith('[') => "[" + value + "]",
        _ => value,
    };

    public static string Strategy(string value) =>
        value is "one-for-one" or "crashing"
            ? value
            : throw new FormatException("the strategy must be one-for-one or crashing");

    public static string GraphFile(string value) =>
        value.EndsWith(".dot", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".mmd", StringComparison.OrdinalIgnoreCase)
            ? value
            : throw new FormatException("the file name must end in .dot (Graphviz) or .mmd (Mermaid)");
}
