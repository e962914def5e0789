using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mode;

/// <summary>
/// The Worker's small command-line parser: the built-in options (<c>--loglevel</c>, <c>--logfile</c>,
/// <c>--quiet</c>, <c>--debug</c>, <c>--help</c>, <c>--version</c>) plus the ones a program adds with
/// <see cref="AddOption"/> and <see cref="AddFlag"/> before calling
/// <see cref="Worker.ExecuteFromCommandLine"/>. Accepts <c>--name value</c>, <c>--name=value</c> and
/// one-letter aliases (<c>-l debug</c>). Anything else is an error: usage on standard error, exit 2.
/// </summary>
/// <remarks>Not thread-safe; configure it before executing.</remarks>
public sealed class WorkerCommandLine
{
    private readonly List<Option> _options = [];
    private readonly WorkerOptions _workerOptions;
    private bool _levelGiven;
    private bool _debugGiven;

    internal WorkerCommandLine(WorkerOptions options)
    {
        _workerOptions = options;
        AddOption("--loglevel", "LEVEL", "log level: trace, debug, info, warning, error, critical (default: info)", v => { options.LogLevel = ParseLevel(v); _levelGiven = true; }, "-l");
        AddOption("--logfile", "FILE", "write the log to FILE instead of standard error", v => options.LogFile = v.Length > 0 ? v : throw new FormatException("the file name is empty"), "-f");
        AddFlag("--quiet", "print only warnings and errors", () => options.Quiet = true, "-q");
        AddFlag("--debug", "debug mode: blocking detector on, log level debug unless --loglevel is given", () => { options.Debug = true; _debugGiven = true; });
        AddOption("--start-timeout", "SECONDS", "fail the start after SECONDS, 0 for no limit (default: 300)", v => options.StartTimeout = ParseStartTimeout(v));
        AddFlag("--help", "show this help and exit", static () => { }, "-h");
        AddFlag("--version", "show the version and exit", static () => { });
    }

    /// <summary>
    /// Adds an option with a value, e.g. <c>AddOption("--port", "PORT", "web server port", v => port = int.Parse(v))</c>.
    /// </summary>
    /// <param name="name">The long name, starting with <c>--</c>.</param>
    /// <param name="valueName">The value's name in the usage text.</param>
    /// <param name="description">One line of help.</param>
    /// <param name="apply">Receives the value. A <see cref="FormatException"/>, <see cref="OverflowException"/>
    /// or <see cref="ArgumentException"/> it throws makes the value invalid (usage, exit 2).</param>
    /// <param name="shortName">An optional one-letter alias such as <c>-p</c>.</param>
    /// <param name="hidden">Leave it out of the usage text.</param>
    /// <exception cref="ArgumentException">The name is malformed or already taken.</exception>
    public void AddOption(string name, string valueName, string description, Action<string> apply, string? shortName = null, bool hidden = false)
    {
        ArgumentNullException.ThrowIfNull(valueName);
        ArgumentNullException.ThrowIfNull(apply);
        Add(new Option(name, shortName, valueName, description, apply, null, hidden));
    }

    /// <summary>Adds a flag (an option without a value), e.g. <c>AddFlag("--dry-run", "…", () => dryRun = true)</c>.</summary>
    /// <param name="name">The long name, starting with <c>--</c>.</param>
    /// <param name="description">One line of help.</param>
    /// <param name="apply">Called when the flag is given.</param>
    /// <param name="shortName">An optional one-letter alias such as <c>-n</c>.</param>
    /// <param name="hidden">Leave it out of the usage text.</param>
    /// <exception cref="ArgumentException">The name is malformed or already taken.</exception>
    public void AddFlag(string name, string description, Action apply, string? shortName = null, bool hidden = false)
    {
        ArgumentNullException.ThrowIfNull(apply);
        Add(new Option(name, shortName, null, description, null, apply, hidden));
    }

    /// <summary>Writes the usage text: the synopsis and one line per visible option.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="programName">The name in the synopsis.</param>
    public void WriteUsage(TextWriter writer, string programName)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder();
        text.Append("Usage: ").Append(programName).Append(" [options]\n\nOptions:\n");
        var visible = _options.Where(static o => !o.Hidden).ToArray();
        var heads = visible.Select(static o => (o.Short is null ? "    " : o.Short + ", ") + o.Name + (o.ValueName is null ? string.Empty : " " + o.ValueName)).ToArray();
        var width = heads.Max(static h => h.Length) + 2;
        for (var i = 0; i < visible.Length; i++)
        {
            text.Append("  ").Append(heads[i].PadRight(width)).Append(visible[i].Description).Append('\n');
        }

        writer.Write(text.ToString());
    }

    /// <summary>Parses <paramref name="args"/>, applying each option as it is met.</summary>
    internal ParseResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        _levelGiven = false;
        _debugGiven = false;
        var outcome = ParseOutcome.Run;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name;
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                name = eq < 0 ? arg : arg[..eq];
                inline = eq < 0 ? null : arg[(eq + 1)..];
            }
            else if (arg.Length == 2 && arg[0] == '-' && arg[1] != '-')
            {
                name = arg;
            }
            else
            {
                return ParseResult.Fail($"unexpected argument '{arg}'");
            }

            var option = _options.Find(o => o.Name == name || o.Short == name);
            if (option is null)
            {
                return ParseResult.Fail($"unknown option '{name}'");
            }

            if (option.Name == "--help")
            {
                return new ParseResult(ParseOutcome.Help, null);
            }

            if (option.Name == "--version")
            {
                outcome = ParseOutcome.Version;
                continue;
            }

            if (option.Flag is { } flag)
            {
                if (inline is not null)
                {
                    return ParseResult.Fail($"option '{option.Name}' takes no value");
                }

                flag();
                continue;
            }

            var value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return ParseResult.Fail($"option '{option.Name}' needs a value ({option.ValueName})");
                }

                value = args[++i];
            }

            try
            {
                option.Apply!(value);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return ParseResult.Fail($"invalid value '{value}' for {option.Name}: {ex.Message}");
            }
        }

        if (_debugGiven && !_levelGiven)
        {
            // --debug on the command line wins over a level set in code; --loglevel wins over both.
            _workerOptions.LogLevel = LogLevel.Debug;
        }

        return new ParseResult(outcome, null);
    }

    private static TimeSpan? ParseStartTimeout(string value)
    {
        var seconds = double.Parse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new FormatException("expected a number of seconds, 0 or more");
        }

        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Parses a log level name: Python's (<c>info</c>, <c>warning</c>, <c>critical</c>) or .NET's.</summary>
    /// <exception cref="FormatException">Not a level name.</exception>
    internal static LogLevel ParseLevel(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" or "crit" or "fatal" => LogLevel.Critical,
            "none" or "off" => LogLevel.None,
            _ when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 6 => (LogLevel)n,
            _ => throw new FormatException("expected trace, debug, info, warning, error or critical"),
        };
    }

    private void Add(Option option)
    {
        if (option.Name is null || !option.Name.StartsWith("--", StringComparison.Ordinal) || option.Name.Length < 3 || option.Name.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"An option's name must look like '--name' (got '{option.Name}').", nameof(option));
        }

        if (option.Short is not null && (option.Short.Length != 2 || option.Short[0] != '-' || option.Short[1] == '-'))
        {
            throw new ArgumentException($"A short name must look like '-x' (got '{option.Short}').", nameof(option));
        }

        if (_options.Exists(o => o.Name == option.Name || (option.Short is not null && o.Short == option.Short)))
        {
            throw new ArgumentException($"The option '{option.Name}' (or its short name) is already defined.", nameof(option));
        }

        _options.Add(option);
    }

    private sealed record Option(string Name, string? Short, string? ValueName, string Description, Action<string>? Apply, Action? Flag, bool Hidden);
}

/// <summary>What the command line asked for.</summary>
internal enum ParseOutcome
{
    Run,
    Help,
    Version,
    Error,
}

/// <summary>The outcome of <see cref="WorkerCommandLine.Parse"/>, with the error message if any.</summary>
internal readonly record struct ParseResult(ParseOutcome Outcome, string? Error)
{
    public static ParseResult Fail(string error) => new(ParseOutcome.Error, error);
}
