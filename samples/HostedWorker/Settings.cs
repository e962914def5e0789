using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Samples;

namespace HostedWorker;

/// <summary>
/// The sample's settings (<c>--health-url</c>, <c>--crash-after</c>: the command line, environment or
/// appsettings, as the Generic Host reads them), checked before the host starts: a bad value prints
/// the error and the usage and exits 2, instead of failing once the services run.
/// </summary>
internal static class Settings
{
    public const string Usage = """
        Usage: HostedWorker [options]

        Options:
          --health-url URL       where GET /healthz is served: http://ADDRESS:PORT/ (default http://127.0.0.1:5080/)
          --crash-after SECONDS  crash the service tree after SECONDS, to show the exit code
          --trace                print Mode's start-up and shut-down spans (OpenTelemetry's console exporter)

        """;

    private const string DefaultHealthUrl = "http://127.0.0.1:5080/";

    /// <summary>The health endpoint's URL, as given.</summary>
    public static string HealthUrl(IConfiguration configuration) => configuration["health-url"] ?? DefaultHealthUrl;

    /// <summary>Where to listen for the health endpoint: the URL's address (of this machine) and port.</summary>
    /// <exception cref="FormatException">Not an <c>http://ADDRESS:PORT/</c> URL.</exception>
    /// <exception cref="ArgumentException">The address is not one of this machine.</exception>
    public static IPEndPoint HealthEndpoint(IConfiguration configuration)
    {
        var url = HealthUrl(configuration);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new FormatException("expected http://ADDRESS:PORT/");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new FormatException("the URL must end at the port with '/': the endpoint is /healthz below it");
        }

        if (uri.Port == 0)
        {
            throw new FormatException("the port must be 1 to 65535");
        }

        return new IPEndPoint(HttpServer.ParseAddress(uri.Host), uri.Port);
    }

    /// <summary>When the tree should crash on purpose, or <see langword="null"/>.</summary>
    /// <exception cref="FormatException">Not a number of seconds.</exception>
    public static TimeSpan? CrashAfter(IConfiguration configuration)
    {
        if (configuration["crash-after"] is not { } value)
        {
            return null;
        }

        var seconds = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(seconds) && seconds >= 0 && seconds <= int.MaxValue
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException("expected a number of seconds, 0 or more");
    }

    /// <summary>
    /// The command line with each bare flag (<c>--trace</c>) given its value (<c>--trace=true</c>): the
    /// host's command-line configuration reads <c>--name value</c> pairs, so a bare flag would take
    /// the next option as its value, or be dropped at the end.
    /// </summary>
    public static string[] WithFlagValues(string[] args) =>
        args.Select(static a => a == "--trace" ? "--trace=true" : a).ToArray();

    /// <summary>Whether to print the spans of the "Mode" activity source (<c>--trace</c>).</summary>
    /// <exception cref="FormatException">Not <c>true</c> or <c>false</c>.</exception>
    public static bool Trace(IConfiguration configuration) =>
        configuration["trace"] is { } value && bool.Parse(value);

    /// <summary>The first bad setting as "invalid value 'X' for --NAME: reason", or <see langword="null"/>.</summary>
    public static string? Check(IConfiguration configuration)
    {
        foreach (var (name, check) in new (string, Action<IConfiguration>)[] { ("health-url", c => HealthEndpoint(c)), ("crash-after", c => CrashAfter(c)), ("trace", c => Trace(c)) })
        {
            try
            {
                check(configuration);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                return $"invalid value '{configuration[name]}' for --{name}: {ex.Message}";
            }
        }

        return null;
    }
}
