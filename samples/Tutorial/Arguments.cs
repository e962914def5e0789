using System.Globalization;
using System.Net;
using Samples;

namespace Tutorial;

/// <summary>
/// Parsing of the tutorial's option values; an exception here makes the Worker print the error and
/// the usage and exit 2. Each value is checked as far as it can be before anything starts — the
/// address is bound once, the graph file opened once — so a value that parses but cannot work is a
/// usage error, not a failed start with half the tree running. (A port that another process holds
/// is still a failed start: that can change between the check and the start.)
/// </summary>
internal static class Arguments
{
    public static int Port(string value)
    {
        var port = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        ArgumentOutOfRangeException.ThrowIfZero(port, nameof(value));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535, nameof(value));
        return port;
    }

    /// <summary>
    /// The address to serve on: what <see cref="HttpServer.ParseAddress"/> takes, or <c>0.0.0.0</c>,
    /// <c>*</c>, <c>+</c> (every IPv4 address) or <c>::</c> (every address).
    /// </summary>
    public static IPAddress BindAddress(string value) => value switch
    {
        "0.0.0.0" or "*" or "+" => IPAddress.Any,
        "::" or "[::]" => IPAddress.IPv6Any,
        _ => HttpServer.ParseAddress(value),
    };

    public static string Strategy(string value) =>
        value is "one-for-one" or "crashing"
            ? value
            : throw new FormatException("the strategy must be one-for-one or crashing");

    /// <summary>A graph file: FILE.dot or FILE.mmd, in a folder that exists, writable (checked by opening it).</summary>
    public static string GraphFile(string value)
    {
        if (!value.EndsWith(".dot", StringComparison.OrdinalIgnoreCase) && !value.EndsWith(".mmd", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("the file name must end in .dot (Graphviz) or .mmd (Mermaid)");
        }

        var path = Path.GetFullPath(value);
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new ArgumentException($"the folder '{folder}' does not exist", nameof(value));
        }

        if (Directory.Exists(path))
        {
            throw new ArgumentException($"'{path}' is a folder", nameof(value));
        }

        // Open it for writing as the start will, without truncating it; remove it again if it was not there.
        var existed = File.Exists(path);
        try
        {
            using (File.Open(path, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot write '{path}': {ex.Message}", nameof(value), ex);
        }

        return value;
    }
}
